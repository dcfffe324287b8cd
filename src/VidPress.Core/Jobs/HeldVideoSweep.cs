using Hangfire;
using Microsoft.Extensions.Hosting;

namespace VidPress.Core.Jobs;

/// <summary>Registers <see cref="VideoQueue.SweepAsync"/> as a recurring job (every minute) in a host that runs workers.</summary>
public sealed class HeldVideoSweep(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<VideoQueue>(VideoQueue.SweepJobId, q => q.SweepAsync(CancellationToken.None), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
