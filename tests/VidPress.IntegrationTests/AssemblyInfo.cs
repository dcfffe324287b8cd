// Each collection runs a whole service (web host, Hangfire workers, ffmpeg renders). On a 2-core machine
// running them side by side only starves them into timeouts, so collections run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
