using System.Text;
using VidPress.Core.Articles;

namespace VidPress.UnitTests.Articles;

public sealed class ArticleReaderTests
{
    [Fact]
    public void Page_furniture_is_removed_before_extraction()
    {
        const string html = """
            <html><head><title>Site | Story</title></head><body>
            <nav>Home News Sport</nav>
            <article><h1>Flood waters recede in the valley</h1>
            <figure><img src="a.jpg"><figcaption>Residents wade through water.</figcaption></figure>
            <p>Flood waters began to recede on Sunday after three days of heavy rain across the valley, officials said.</p>
            <div class="ad-container">Buy cheap insurance now, limited offer for new customers only today.</div>
            <aside>Related: Storms in the north</aside>
            <p>Emergency crews were still pumping water out of homes near the river, and several roads remained closed.</p>
            <div class="social-share">Share this</div>
            </article><footer>Copyright 2024</footer></body></html>
            """;

        var article = ArticleReader.Extract(html, "http://news.example/flood");

        Assert.Equal("Flood waters recede in the valley", article.Title);
        Assert.Equal(
            "Flood waters began to recede on Sunday after three days of heavy rain across the valley, officials said.\n\n"
            + "Emergency crews were still pumping water out of homes near the river, and several roads remained closed.", article.Text);
    }

    [Fact]
    public void Chinese_text_broken_across_source_lines_is_joined_without_spaces() =>
        Assert.Equal("深圳将新增电动公交车 and more", ArticleReader.Normalise("深圳将新增\n   电动公交车\n and   more"));

    [Fact]
    public void A_page_in_gbk_is_decoded_from_its_meta_charset()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding("gbk").GetBytes("<html><head><meta charset=\"gbk\"></head><body><p>新闻</p></body></html>");
        Assert.Contains("新闻", ArticleReader.Decode(bytes, null));
    }

    [Fact]
    public void The_header_charset_wins_and_an_unknown_one_falls_back_to_utf8()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb = Encoding.GetEncoding("gb2312").GetBytes("<p>公交车</p>");
        Assert.Contains("公交车", ArticleReader.Decode(gb, "\"gb2312\""));
        Assert.Contains("公交车", ArticleReader.Decode(Encoding.UTF8.GetBytes("<p>公交车</p>"), "no-such-charset"));
    }
}

public sealed class ExtractionFailureKindsTests
{
    private const string Story = """
        <p>The city council voted on Tuesday to close the old bridge to traffic while engineers inspect the cracks found last month.</p>
        <p>Repairs are expected to take at least six weeks, and buses will be diverted through the north of the town, officials said.</p>
        <p>Shop owners near the bridge said they feared losing customers during the busiest weeks of the year before the holidays.</p>
        """;

    [Fact]
    public void Whole_page_wrappers_named_like_furniture_are_kept_and_the_furniture_inside_them_is_not()
    {
        // Class names as real sites use them: a sidebar layout, ad margins, an editor's (CMS) wrapper, a HubSpot field.
        var html = $"""
            <html><head><title>Bridge closed</title></head><body class="Page-body">
            <div class="l-sidebar-fixed"><div class="Page-ad-margins"><div class="content-with-sidebar-wrp">
            <div class="hs_cos_wrapper_meta_field"><div class="TRS_Editor">
            <h1>Old bridge closed for repairs</h1>
            {Story}
            <div class="adSlot">Advertisement</div>
            </div></div>
            <div class="sidebar-menu"><ul><li><a href="/a">Sport</a></li><li><a href="/b">Weather</a></li></ul></div>
            </div></div></div></body></html>
            """;

        var article = ArticleReader.Extract(html, "http://news.example/bridge");

        Assert.StartsWith("The city council voted on Tuesday", article.Text);
        Assert.EndsWith("before the holidays.", article.Text);
        Assert.Equal(3, article.Text.Split("\n\n").Length);
        Assert.DoesNotContain("Advertisement", article.Text);
        Assert.DoesNotContain("Weather", article.Text);
    }

    [Theory]
    [InlineData("Page-ad-margins", true)]
    [InlineData("top_ads", true)]
    [InlineData("adSlot", true)]
    [InlineData("TRS_Editor", true)]
    [InlineData("hs_cos_wrapper_meta_field", true)]
    [InlineData("headline", false)]
    [InlineData("header-inner", false)]
    [InlineData("loading shadow", false)]
    [InlineData("metadata", false)]
    [InlineData("adsbox", true)]
    [InlineData("sharebar", true)]
    [InlineData("relatedList", true)]
    [InlineData("toolbox", false)]
    [InlineData("loadbar", false)]
    public void Furniture_words_are_matched_as_whole_tokens_of_class_names(string className, bool furniture)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument($"<div class=\"{className}\">x</div>");
        Assert.Equal(furniture, PageFurniture.NamedAsFurniture(document.QuerySelector("div")!));
    }

    [Fact]
    public void A_page_wrapped_in_one_aspnet_form_keeps_its_story_and_loses_its_menu()
    {
        var html = $"""
            <html><head><title>Bridge</title></head><body>
            <form name="Form1" method="post" action="255509.aspx" id="Form1">
            <input type="hidden" name="__VIEWSTATE" value="dDwtMTA4NzE" />
            <div id="header"><div id="menu"><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/jobs">Jobs</a></div></div>
            <div id="content"><h1>Old bridge closed for repairs</h1>{Story}</div>
            </form></body></html>
            """;

        var article = ArticleReader.Extract(html, "http://gov.example/255509.aspx");

        Assert.Equal(3, article.Text.Split("\n\n").Length);
        Assert.StartsWith("The city council voted", article.Text);
        Assert.DoesNotContain("Sport", article.Text);
    }

    [Fact]
    public void The_block_by_block_fallback_keeps_prose_and_drops_menus_link_lists_and_short_furniture()
    {
        var html = $"""
            <body>
            <ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul>
            <div>Share this story</div>
            <h2>Bridge closed</h2>
            {Story}
            <h3>More news</h3>
            <ul><li><a href="/1">Council elections: the candidates for the north ward and what they promise</a></li>
            <li><a href="/2">Weather warning for the weekend as storms move in from the coast tonight</a></li></ul>
            <p>Copyright 2024</p>
            </body>
            """;
        var body = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).Body!;

        var blocks = ArticleBlocks.ProseBlocks(body);

        Assert.Equal(4, blocks.Count);
        Assert.Equal("Bridge closed", blocks[0]);
        Assert.StartsWith("The city council", blocks[1]);
        Assert.EndsWith("before the holidays.", blocks[3]);
    }

    [Fact]
    public void A_gbk_page_that_declares_nothing_is_read_as_gb18030_not_utf8()
    {
        var bytes = Gb18030().GetBytes("<html><head><title>新闻</title></head><body><p>深圳市交通运输部门周二宣布新增电动公交车。</p></body></html>");
        Assert.Contains("深圳市交通运输部门周二宣布", ArticleReader.Decode(bytes, null));
    }

    [Fact]
    public void A_gbk_label_in_meta_http_equiv_decodes_the_four_byte_gb18030_characters_too()
    {
        // "𠮷" is outside GBK: only GB18030, which the Encoding standard decodes every gbk/gb2312 label as, has it.
        var bytes = Gb18030().GetBytes("<html><head><!-- <meta charset=\"utf-8\"> --><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>𠮷野家开业</p></body></html>");
        Assert.Contains("𠮷野家开业", ArticleReader.Decode(bytes, null));
    }

    [Fact]
    public void A_byte_order_mark_beats_the_meta_charset()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("<meta charset=\"gbk\"><p>公交车</p>")).ToArray();
        var text = ArticleReader.Decode(bytes, null);
        Assert.Contains("公交车", text);
        Assert.StartsWith("<meta", text);
    }

    [Fact]
    public void Hard_wrapped_chinese_lines_are_joined_without_a_space_and_latin_lines_with_one()
    {
        // As old Chinese portals serve essays: one <p> per line of the printed page, breaking words mid-line.
        var html = """
            <html><head><title>文章</title></head><body><div>
            <p>一九八九年四月，我在湖南张家界开一个全省教学研究<p>会议。按照惯例，会议安排了一天时间，让与会者去风景点游玩观赏。那一天正好是四<p>月十五日，后来我们才知道。
            <p>The line was wrapped<br>by the editor's tool in the middle of a sentence about the bridge and its repairs.</p>
            </div></body></html>
            """;

        var article = ArticleReader.Extract(html, "http://zh.example/essay");

        Assert.Contains("教学研究会议。", article.Text);
        Assert.Contains("正好是四月十五日", article.Text);
        Assert.Contains("wrapped by the editor's", article.Text);
    }

    [Fact]
    public void Chinese_paragraphs_that_end_their_sentence_are_not_joined_as_wrapped_lines()
    {
        // Each <p> is a whole paragraph ending in 。 or a closing quote: nothing to join, whatever their length.
        var html = """
            <html><head><title>报告</title></head><body><div>
            <p>世界卫生组织周一在日内瓦发布报告说，去年全球儿童常规疫苗接种率有所回升，但仍未恢复到疫情前的水平。</p>
            <p>报告显示，去年共有一千四百五十万名儿童没有接种任何常规疫苗，比前年减少了约一百万人。</p>
            <p>世界卫生组织官员李明在新闻发布会上说：“非洲和东南亚部分地区的接种工作进展明显，值得肯定。”</p>
            <p>联合国儿童基金会呼吁各国政府增加对基层卫生系统的投入，确保疫苗能够送到偏远地区。</p>
            </div></body></html>
            """;

        var article = ArticleReader.Extract(html, "http://zh.example/who");

        Assert.Equal(4, article.Text.Split("\n\n").Length);
    }

    private static Encoding Gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("gb18030");
    }
}
