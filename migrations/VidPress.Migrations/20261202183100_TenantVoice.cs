using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VidPress.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class TenantVoice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DefaultVoice",
                table: "tenants",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Lexicon",
                table: "tenants",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.UpdateData(
                table: "tenants",
                keyColumn: "Id",
                keyValue: new Guid("00000000-0000-0000-0000-000000000001"),
                columns: new[] { "DefaultVoice", "Lexicon" },
                values: new object[] { null, "[]" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DefaultVoice",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "Lexicon",
                table: "tenants");
        }
    }
}
