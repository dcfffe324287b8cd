using Microsoft.Extensions.DependencyInjection;

namespace VidPress.Core.Articles;

public static class ArticlesServiceCollectionExtensions
{
    /// <summary>The article reader (text as given, or a page fetched through the outbound guard).</summary>
    public static IServiceCollection AddArticles(this IServiceCollection services) => services.AddScoped<ArticleReader>();
}
