using PipeRL.Tensors.Optim;

namespace PipeRL.Tensors.Tests.Optim;

public sealed class LinearScheduleTests
{
    [Theory]
    [InlineData(0, 3e-4)]
    [InlineData(50, 1.5e-4)]
    [InlineData(100, 0.0)]
    [InlineData(500, 0.0)]
    public void AnnealsLinearlyThenHolds(long step, double expected)
    {
        Assert.Equal(expected, new LinearSchedule(3e-4, 0, 100).ValueAt(step), 12);
    }
}
