using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VidPress.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AssetOrientation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Orientation",
                table: "assets",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Orientation",
                table: "assets");
        }
    }
}
