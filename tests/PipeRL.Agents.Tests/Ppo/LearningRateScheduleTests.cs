using PipeRL.Agents.Ppo;

namespace PipeRL.Agents.Tests.Ppo;

public sealed class LearningRateScheduleTests
{
    [Theory]
    [InlineData(1, 1.0f)]
    [InlineData(3, 0.5f)]
    [InlineData(4, 0.25f)]
    public void AnnealsLinearlyLikeCleanRl(int update, float expected) =>
        Assert.Equal(expected, LearningRateSchedule.Linear(1f, update, 4), 6);

    [Fact]
    public void UpdatePastTheEndIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Linear(1f, 5, 4));
}
