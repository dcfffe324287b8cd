using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VidPress.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class WebhookDeliveryRun : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Run",
                table: "webhook_deliveries",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_VideoId_EventType_Run_Attempt",
                table: "webhook_deliveries",
                columns: new[] { "VideoId", "EventType", "Run", "Attempt" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_webhook_deliveries_VideoId_EventType_Run_Attempt",
                table: "webhook_deliveries");

            migrationBuilder.DropColumn(
                name: "Run",
                table: "webhook_deliveries");
        }
    }
}
