using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using VidPress.Core;
using VidPress.Core.Data;

namespace VidPress.Migrations;

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<VidPressDbContext>
{
    public VidPressDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<VidPressDbContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("VIDPRESS_DB") ?? "Host=127.0.0.1;Port=55432;Database=vidpress;Username=postgres",
                o => o.UseVector().MigrationsAssembly(VidPressServices.MigrationsAssembly))
            .Options);
}
