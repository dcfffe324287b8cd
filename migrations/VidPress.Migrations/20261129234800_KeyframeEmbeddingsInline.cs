using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using VidPress.Core.Data;

#nullable disable

namespace VidPress.Migrations.Migrations
{
    /// <summary>
    /// Keyframe embeddings stored in the row (PLAIN) instead of out of line in TOAST, which pgvector's type asks
    /// for: a 512-dim vector is 2 KB, just over the TOAST threshold, so every distance the exact search of a small
    /// tenant computes paid a TOAST lookup first (about 60 ms for 10,000 keyframes instead of about 10). The model
    /// does not change, so there is no snapshot change; existing rows are rewritten so that they move in too.
    /// </summary>
    [DbContext(typeof(VidPressDbContext))]
    [Migration("20261129234800_KeyframeEmbeddingsInline")]
    public partial class KeyframeEmbeddingsInline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE keyframes ALTER COLUMN \"Embedding\" SET STORAGE PLAIN;");
            // A new value (not the stored TOAST pointer) is needed for a row to be stored again under PLAIN.
            migrationBuilder.Sql("UPDATE keyframes SET \"Embedding\" = \"Embedding\"::real[]::vector;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE keyframes ALTER COLUMN \"Embedding\" SET STORAGE EXTERNAL;");
        }
    }
}
