using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace VidPress.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class LibrarySearchAndQuality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_keyframes_Embedding",
                table: "keyframes");

            migrationBuilder.DropIndex(
                name: "IX_assets_TenantId_Sha256",
                table: "assets");

            migrationBuilder.AddColumn<string>(
                name: "ThumbnailKey",
                table: "shots",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Brightness",
                table: "keyframes",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "Contrast",
                table: "keyframes",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "Sharpness",
                table: "keyframes",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            // Keyframes ingested before quality was measured stay searchable, as they were.
            migrationBuilder.AddColumn<bool>(
                name: "Usable",
                table: "keyframes",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "CreditLine",
                table: "assets",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ExpiresAt",
                table: "assets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Licence",
                table: "assets",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchTerms",
                table: "assets",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "assets",
                type: "tsvector",
                nullable: true)
                .Annotation("Npgsql:TsVectorConfig", "simple")
                .Annotation("Npgsql:TsVectorProperties", new[] { "SearchTerms" });

            migrationBuilder.CreateIndex(
                name: "IX_keyframes_Embedding",
                table: "keyframes",
                column: "Embedding")
                .Annotation("Npgsql:IndexMethod", "hnsw")
                .Annotation("Npgsql:IndexOperators", new[] { "vector_cosine_ops" })
                .Annotation("Npgsql:StorageParameter:ef_construction", 128)
                .Annotation("Npgsql:StorageParameter:m", 16);

            migrationBuilder.CreateIndex(
                name: "IX_assets_SearchVector",
                table: "assets",
                column: "SearchVector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "IX_assets_TenantId_Sha256",
                table: "assets",
                columns: new[] { "TenantId", "Sha256" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_keyframes_Embedding",
                table: "keyframes");

            migrationBuilder.DropIndex(
                name: "IX_assets_SearchVector",
                table: "assets");

            migrationBuilder.DropIndex(
                name: "IX_assets_TenantId_Sha256",
                table: "assets");

            migrationBuilder.DropColumn(
                name: "ThumbnailKey",
                table: "shots");

            migrationBuilder.DropColumn(
                name: "Brightness",
                table: "keyframes");

            migrationBuilder.DropColumn(
                name: "Contrast",
                table: "keyframes");

            migrationBuilder.DropColumn(
                name: "Sharpness",
                table: "keyframes");

            migrationBuilder.DropColumn(
                name: "Usable",
                table: "keyframes");

            migrationBuilder.DropColumn(
                name: "CreditLine",
                table: "assets");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "assets");

            migrationBuilder.DropColumn(
                name: "Licence",
                table: "assets");

            migrationBuilder.DropColumn(
                name: "SearchTerms",
                table: "assets");

            migrationBuilder.DropColumn(
                name: "SearchVector",
                table: "assets");

            migrationBuilder.CreateIndex(
                name: "IX_keyframes_Embedding",
                table: "keyframes",
                column: "Embedding")
                .Annotation("Npgsql:IndexMethod", "hnsw")
                .Annotation("Npgsql:IndexOperators", new[] { "vector_cosine_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_assets_TenantId_Sha256",
                table: "assets",
                columns: new[] { "TenantId", "Sha256" });
        }
    }
}
