using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VidPress.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class VideoReferenceAndMetadata : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Metadata",
                table: "videos",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Reference",
                table: "videos",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_videos_TenantId_Reference",
                table: "videos",
                columns: new[] { "TenantId", "Reference" },
                filter: "\"Reference\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_videos_TenantId_Reference",
                table: "videos");

            migrationBuilder.DropColumn(
                name: "Metadata",
                table: "videos");

            migrationBuilder.DropColumn(
                name: "Reference",
                table: "videos");
        }
    }
}
