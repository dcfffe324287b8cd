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
