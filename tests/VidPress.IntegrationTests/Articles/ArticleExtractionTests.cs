using VidPress.Core.Network;
using VidPress.Core.Script;

namespace VidPress.IntegrationTests.Articles;

/// <summary>News pages written for these tests, with navigation, ads, captions, related links and footers around the story, fetched from a real loopback site.</summary>
public sealed class ArticleExtractionTests : IAsyncLifetime
{
    private NewsSite _site = null!;
    private GuardedReader _reader = null!;

    public async Task InitializeAsync()
    {
        _site = await NewsSite.StartAsync();
        _reader = new GuardedReader(new NetworkOptions { LoopbackPortsForTests = new HashSet<int> { _site.Port } });
    }

    public async Task DisposeAsync()
    {
        _reader.Dispose();
        await _site.DisposeAsync();
    }

    public sealed record Page(string File, string Language, string Title, string[] First, string[] Last, string[] Absent, int Paragraphs);

    public static readonly Page[] Pages =
    [
        new("en-council-buses.html", Languages.English, "Council approves 200 electric buses in transport overhaul",
            ["Manchester City Council approved a plan on Tuesday"], ["published on the council website in June."],
            ["ADVERTISEMENT", "Sport", "Hulme depot", "Tram strike", "Most read", "Sponsored", "Subscribe", "All rights reserved", "Share on", "speaking at the council meeting", "By Tom Harding"], 8),
        new("en-robotics-chips.html", Languages.English, "Acme Robotics shares jump 12% on chip supply deal",
            ["Shares in Acme Robotics Inc. rose 12 percent"], ["automating their warehouses."],
            ["Log in", "Home", "sorts parcels", "zero commission", "Tweet", "RoboFan99", "Five stocks", "Cookie settings"], 7),
        new("en-malaria-vaccine.html", Languages.English, "New malaria vaccine cuts child infections by half in Kenya trial",
            ["A new malaria vaccine halved the number of infections"], ["harder to deliver in remote areas."],
            ["Science you can trust", "Trending", "Photo credit", "A nurse prepares", "Cheap flights", "More news", "Terms. Privacy"], 8),
        new("zh-shenzhen-buses.html", Languages.Chinese, "深圳年底前新增五百辆电动公交车",
            ["深圳市交通运输部门周二宣布"], ["将试点自动驾驶公交线路。"],
            ["首页", "红包", "福田公交场站", "相关阅读", "分享到", "热门推荐", "版权所有", "来源：南方日报"], 7),
        new("zh-huawei-ai.html", Languages.Chinese, "华为与中国科学院签署人工智能合作协议",
            ["华为公司与中国科学院周一在北京签署合作协议"], ["向高校和中小企业开放。"],
            ["科技日报网", "当前位置", "签约仪式现场", "广告", "猜你喜欢", "Copyright"], 6),
        new("zh-who-vaccine.html", Languages.Chinese, "世卫组织：全球儿童疫苗接种率有所回升",
            ["世界卫生组织周一在日内瓦发布报告说"], ["启动新一轮补种行动。"],
            ["环球健康网", "视频", "一名护士", "延伸阅读", "问诊", "网站地图"], 6),
    ];

    public static TheoryData<string> PageFiles() => new(Pages.Select(p => p.File));

    [Theory]
    [MemberData(nameof(PageFiles))]
    public async Task A_news_page_comes_out_as_its_title_and_paragraphs(string file)
    {
        var page = Pages.Single(p => p.File == file);

        var article = await _reader.ReadAsync(_site.Url("/news/" + file));

        Assert.Equal(page.Title, article.Title);
        var paragraphs = article.Text.Split("\n\n");
        Assert.Equal(page.Paragraphs, paragraphs.Length);
        foreach (var start in page.First) Assert.StartsWith(start, paragraphs[0]);
        foreach (var end in page.Last) Assert.EndsWith(end, paragraphs[^1]);
        foreach (var absent in page.Absent) Assert.DoesNotContain(absent, article.Text);
        Assert.DoesNotContain(page.Title, article.Text);
        Assert.Equal(page.Language, Languages.Detect(article.Text));
    }

    public static TheoryData<string, string, string, AnchorKind> NamedInPages() => new()
    {
        { "en-council-buses.html", "Mayor Jane Whitfield said", "Jane Whitfield", AnchorKind.Person },
        { "en-council-buses.html", "Ms. Whitfield told reporters", "Jane Whitfield", AnchorKind.Person },
        { "en-council-buses.html", "Whitfield said a full timetable", "Jane Whitfield", AnchorKind.Person },
        { "en-council-buses.html", "Manchester City Council approved", "Manchester City Council", AnchorKind.Organisation },
        { "en-council-buses.html", "operated by the Greater Manchester", "Greater Manchester Transport Authority", AnchorKind.Organisation },
        { "en-council-buses.html", "Dr. Priya Raman", "Priya Raman", AnchorKind.Person },
        { "en-council-buses.html", "Dr. Priya Raman", "University of Leeds", AnchorKind.Organisation },
        { "en-council-buses.html", "Opposition leader Mark Ellison", "Mark Ellison", AnchorKind.Person },
        { "en-robotics-chips.html", "Shares in Acme Robotics", "Acme Robotics Inc", AnchorKind.Organisation },
        { "en-robotics-chips.html", "Shares in Acme Robotics", "Nordic Semiconductor Corp", AnchorKind.Organisation },
        { "en-robotics-chips.html", "Chief executive Laura Bennett", "Laura Bennett", AnchorKind.Person },
        { "en-robotics-chips.html", "Chief executive Laura Bennett", "Osaka", AnchorKind.Place },
        { "en-robotics-chips.html", "Bennett said in a call", "Laura Bennett", AnchorKind.Person },
        { "en-robotics-chips.html", "Bennett said in a call", "Germany", AnchorKind.Place },
        { "en-robotics-chips.html", "Mr. Henrik Lund", "Henrik Lund", AnchorKind.Person },
        { "en-robotics-chips.html", "Analysts at Harbor Capital Partners", "Harbor Capital Partners", AnchorKind.Organisation },
        { "en-robotics-chips.html", "Analysts at Harbor Capital Partners", "Acme Robotics Inc", AnchorKind.Organisation },
        { "en-malaria-vaccine.html", "Prof. Helen Marsh", "Helen Marsh", AnchorKind.Person },
        { "en-malaria-vaccine.html", "Prof. Helen Marsh", "University of Edinburgh", AnchorKind.Organisation },
        { "en-malaria-vaccine.html", "Kenya Medical Research Institute", "Kenya Medical Research Institute", AnchorKind.Organisation },
        { "en-malaria-vaccine.html", "Kenya Medical Research Institute", "Wellcome Trust", AnchorKind.Organisation },
        { "en-malaria-vaccine.html", "Dr. Samuel Otieno", "Samuel Otieno", AnchorKind.Person },
        { "en-malaria-vaccine.html", "The World Health Organization said", "World Health Organization", AnchorKind.Organisation },
        { "en-malaria-vaccine.html", "Marsh cautioned", "Helen Marsh", AnchorKind.Person },
        { "en-malaria-vaccine.html", "western Kenya", "Kenya", AnchorKind.Place },
        { "zh-shenzhen-buses.html", "负责人张伟", "张伟", AnchorKind.Person },
        { "zh-shenzhen-buses.html", "张伟还透露", "张伟", AnchorKind.Person },
        { "zh-shenzhen-buses.html", "由比亚迪公司生产", "比亚迪公司", AnchorKind.Organisation },
        { "zh-shenzhen-buses.html", "清华大学教授王芳", "清华大学", AnchorKind.Organisation },
        { "zh-shenzhen-buses.html", "清华大学教授王芳", "王芳", AnchorKind.Person },
        { "zh-shenzhen-buses.html", "市民刘洋说", "刘洋", AnchorKind.Person },
        { "zh-huawei-ai.html", "在北京签署合作协议", "华为公司", AnchorKind.Organisation },
        { "zh-huawei-ai.html", "在北京签署合作协议", "中国科学院", AnchorKind.Organisation },
        { "zh-huawei-ai.html", "在北京签署合作协议", "北京", AnchorKind.Place },
        { "zh-huawei-ai.html", "院士陈志强", "陈志强", AnchorKind.Person },
        { "zh-huawei-ai.html", "陈志强说", "陈志强", AnchorKind.Person },
        { "zh-huawei-ai.html", "轮值董事长徐直军", "华为公司", AnchorKind.Organisation },
        { "zh-who-vaccine.html", "在日内瓦发布报告", "世界卫生组织", AnchorKind.Organisation },
        { "zh-who-vaccine.html", "在日内瓦发布报告", "日内瓦", AnchorKind.Place },
        { "zh-who-vaccine.html", "浙江大学公共卫生学院研究员刘洋", "刘洋", AnchorKind.Person },
        { "zh-who-vaccine.html", "浙江大学公共卫生学院研究员刘洋", "浙江大学", AnchorKind.Organisation },
    };

    [Theory]
    [MemberData(nameof(NamedInPages))]
    public async Task People_and_organisations_are_anchor_points_of_the_sentences_that_name_them(string file, string sentenceContains, string anchor, AnchorKind kind)
    {
        var page = Pages.Single(p => p.File == file);
        var article = await _reader.ReadAsync(_site.Url("/news/" + file));
        var sentences = SentenceSplitter.Split(article.Text);
        var script = ScriptTagger.Tag(new ScriptDocument(page.Language, sentences.Select((s, i) => new ScriptSentence(i, s)).ToList()), article.Text);

        var sentence = Assert.Single(script.Sentences, s => s.Text.Contains(sentenceContains));
        Assert.Contains(sentence.Anchors, a => a.Text == anchor && a.Kind == kind);
        Assert.Contains(script.Tags, t => t.Text == anchor && t.Kind == kind);
    }

    [Theory]
    [InlineData("en-council-buses.html", "transport")]
    [InlineData("en-robotics-chips.html", "economy")]
    [InlineData("en-malaria-vaccine.html", "health")]
    [InlineData("zh-shenzhen-buses.html", "transport")]
    [InlineData("zh-huawei-ai.html", "technology")]
    [InlineData("zh-who-vaccine.html", "health")]
    public async Task Each_page_gets_its_desk_as_topic(string file, string topic)
    {
        var page = Pages.Single(p => p.File == file);
        var article = await _reader.ReadAsync(_site.Url("/news/" + file));
        var script = ScriptTagger.Tag(new ScriptDocument(page.Language, SentenceSplitter.Split(article.Text).Select((s, i) => new ScriptSentence(i, s)).ToList()), article.Text);
        Assert.Equal(topic, script.Topic);
    }
}
