using VidPress.Api.Infrastructure;
using VidPress.Api.Library;
using VidPress.Api.Videos;

var builder = WebApplication.CreateBuilder(args);
builder.AddVidPressApi();
builder.AddVidPressObservability();

var app = builder.Build();
await app.MigrateDatabaseAsync();
app.UseVidPressApi();
app.MapVidPressObservability();
app.MapVideosApi();
app.MapLibraryApi();
app.Run();

public partial class Program;
