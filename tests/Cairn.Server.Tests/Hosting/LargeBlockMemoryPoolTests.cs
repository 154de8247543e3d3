using Cairn.Server.Hosting;

namespace Cairn.Server.Tests.Hosting;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Every_rent_gets_a_whole_block_and_a_returned_block_is_used_again()
    {
        using var pool = new LargeBlockMemoryPoolFactory().Create();

        var first = pool.Rent(100);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, first.Memory.Length);
        first.Memory.Span[0] = 42;
        var second = pool.Rent();
        Assert.NotEqual(first.Memory, second.Memory);

        first.Dispose();
        first.Dispose(); // twice must not put it in the pool twice
        var again = pool.Rent(LargeBlockMemoryPool.BlockSize);
        var fresh = pool.Rent();

        Assert.Equal(first.Memory, again.Memory);
        Assert.NotEqual(again.Memory, fresh.Memory);
        Assert.Equal(42, again.Memory.Span[0]);
    }

    [Fact]
    public void A_rent_larger_than_a_block_is_refused()
    {
        using var pool = new LargeBlockMemoryPool();

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    [Fact]
    public void The_pool_keeps_at_most_its_limit_of_free_blocks()
    {
        using var pool = new LargeBlockMemoryPool();
        var blocks = Enumerable.Range(0, LargeBlockMemoryPool.MaxFreeBlocks + 10).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Dispose());

        var reused = Enumerable.Range(0, LargeBlockMemoryPool.MaxFreeBlocks + 10).Select(_ => pool.Rent().Memory).ToList();

        Assert.Equal(LargeBlockMemoryPool.MaxFreeBlocks, reused.Count(m => blocks.Any(b => b.Memory.Equals(m))));
    }
}
