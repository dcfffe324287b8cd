using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace VidPress.Core.Data;

public static class DatabaseTransactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction under the context's retrying execution strategy (the whole of
    /// it again if the connection fails) and commits what it did. Used where a row change and the Hangfire job that
    /// acts on it must stand or fall together: the job is enqueued inside, so a failed enqueue rolls the change back,
    /// and a job that starts before the commit waits on the changed row's lock. The commit is not cancellable: once
    /// the job is enqueued, a disconnecting caller must not undo the change it is about to find.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this DatabaseFacade database, Func<Task<T>> work, CancellationToken cancellationToken) =>
        database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await database.BeginTransactionAsync(cancellationToken);
            var result = await work();
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        });
}
