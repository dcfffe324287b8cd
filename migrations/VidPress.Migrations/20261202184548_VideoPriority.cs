using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VidPress.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class VideoPriority : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DispatchedAt",
                table: "videos",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Priority",
                table: "videos",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Normal");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "StartedAt",
                table: "videos",
                type: "timestamp with time zone",
                nullable: true);

            // Videos queued or running before this migration already have their Hangfire job: they are with the
            // workers, not held (the sweep would enqueue them a second time).
            migrationBuilder.Sql("""UPDATE videos SET "DispatchedAt" = "UpdatedAt" WHERE "Status" IN ('Queued', 'Running')""");

            migrationBuilder.AddColumn<bool>(
                name: "AllowBreaking",
                table: "tenants",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "IngestSeconds",
                table: "assets",
                type: "double precision",
                nullable: true);

            migrationBuilder.UpdateData(
                table: "tenants",
                keyColumn: "Id",
                keyValue: new Guid("00000000-0000-0000-0000-000000000001"),
                column: "AllowBreaking",
                value: false);

            migrationBuilder.CreateIndex(
                name: "IX_videos_FinishedAt",
                table: "videos",
                column: "FinishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_videos_TenantId_Status",
                table: "videos",
                columns: new[] { "TenantId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_videos_FinishedAt",
                table: "videos");

            migrationBuilder.DropIndex(
                name: "IX_videos_TenantId_Status",
                table: "videos");

            migrationBuilder.DropColumn(
                name: "DispatchedAt",
                table: "videos");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "videos");

            migrationBuilder.DropColumn(
                name: "StartedAt",
                table: "videos");

            migrationBuilder.DropColumn(
                name: "AllowBreaking",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "IngestSeconds",
                table: "assets");
        }
    }
}
