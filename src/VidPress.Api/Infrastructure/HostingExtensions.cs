using Microsoft.EntityFrameworkCore;
using VidPress.Core;
using VidPress.Core.Data;
using VidPress.Core.Jobs;

namespace VidPress.Api.Infrastructure;

public static class HostingExtensions
{
    public static WebApplicationBuilder AddVidPressApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddVidPressPipeline(configuration);
        var inProcessWorkers = configuration.GetValue("Jobs:RunWorkersInProcess", true);
        services.AddVidPressJobs(configuration,
            inProcessWorkers ? configuration.GetSection("Jobs:Queues").Get<string[]>() ?? [.. JobQueues.All] : null,
            configuration.GetValue("Jobs:WorkerCount", 2));

        services.AddScoped<TenantContext>();
        services.AddJobsDashboard();
        services.AddProblemDetails();
        services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>();
        services.AddBadRequestProblems();
        services.AddExceptionHandler<DatabaseUnavailableProblems>();
        // Request bodies are read with the stored documents' shape, and no string with a NUL or a number that is not finite gets in.
        services.ConfigureHttpJsonOptions(o => ClientInput.Configure(DocumentJson.Configure(o.SerializerOptions)));
        services.AddOpenApiDescription();
        // Only the music upload reads a form through ASP.NET Core (assets stream their parts themselves, under
        // Library:MaxUploadBytes): its own size limit applies first, so this is only the ceiling.
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = 2L * 1024 * 1024 * 1024 + 1024 * 1024);
        return builder;
    }

    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Database:MigrateOnStartup", true)) return;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VidPressDbContext>();
        await db.Database.MigrateAsync();
        await SearchTermsReindex.RunAsync(db, CancellationToken.None);
        // The vector type was created by the migration; connections opened before it must learn it.
        await using var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await connection.ReloadTypesAsync();
    }

    public static WebApplication UseVidPressApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // A range outside a file is answered as every other refusal, a problem (Content-Range still gives the size):
        // the file results leave their own media type on the empty 416, which would hide it from the status code pages.
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response is { StatusCode: StatusCodes.Status416RangeNotSatisfiable, HasStarted: false })
                (context.Response.ContentType, context.Response.ContentLength) = (null, null);
        });
        app.Use(ClientInput.CheckQueryAsync);
        // The ops dashboard is static files calling the public API (with the key the operator types in).
        app.Use((context, next) =>
        {
            if (context.Request.Path.Value == "/dashboard") { context.Response.Redirect("/dashboard/"); return Task.CompletedTask; }
            return next(context);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseOpenApiDescription();
        app.UseJobsDashboard();
        return app;
    }
}
