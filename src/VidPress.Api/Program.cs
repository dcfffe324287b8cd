using VidPress.Api.Admin;
using VidPress.Api.Infrastructure;
using VidPress.Api.Library;
using VidPress.Api.Security;
using VidPress.Api.Videos;
using VidPress.Api.Voices;

if (args is ["admin", .. var verb]) return await AdminCommand.RunAsync(verb, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
builder.AddVidPressApi();
builder.AddVidPressSecurity();
builder.AddVidPressObservability();

var app = builder.Build();
await app.MigrateDatabaseAsync();
app.UseVidPressApi();
app.UseVidPressSecurity();
app.MapVidPressObservability();
app.MapVideosApi();
app.MapLibraryApi();
app.MapMusicApi();
app.MapVoicesApi();
app.Run();
return 0;

public partial class Program;
