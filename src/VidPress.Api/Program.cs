using VidPress.Api.Infrastructure;
using VidPress.Api.Library;
using VidPress.Api.Videos;

var builder = WebApplication.CreateBuilder(args);
builder.AddVidPressApi();

var app = builder.Build();
await app.MigrateDatabaseAsync();
app.UseVidPressApi();
app.MapVideosApi();
app.MapLibraryApi();
app.MapMusicApi();
app.Run();

public partial class Program;
