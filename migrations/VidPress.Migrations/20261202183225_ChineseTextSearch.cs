using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VidPress.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ChineseTextSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing rows get 0: their terms cut Chinese into character bigrams. jieba runs in .NET, not in SQL, so
            // the API re-makes them at start-up (Api/Infrastructure/SearchTermsReindex), right after the migrations.
            migrationBuilder.AddColumn<int>(
                name: "SearchTermsVersion",
                table: "assets",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SearchTermsVersion",
                table: "assets");
        }
    }
}
