using PipeRL.Envs.MinAtar;

namespace PipeRL.Envs.Tests.MinAtar;

/// <summary>
/// The spec's statistical check (section 7): 1000 episodes of uniformly random actions, sticky 0.1, ramping on.
/// The reference drew its actions from Python's own generator, so only the statistics can agree, not the episodes.
/// </summary>
public sealed class RandomPolicyReferenceTests
{
    private const int Episodes = 1000;

    [Theory]
    [InlineData("asterix", 0.512, 0.026, 72.9)]
    [InlineData("breakout", 0.525, 0.023, 11.4)]
    [InlineData("freeway", 0.107, 0.010, 2501)]
    [InlineData("seaquest", 0.069, 0.010, 26.3)]
    [InlineData("space_invaders", 2.885, 0.072, 50.7)]
    public void MeanReturnAndLengthMatchThePythonReference(string game, double referenceReturn, double referenceError, double referenceLength)
    {
        using var env = MinAtarGames.Create(MinAtarGames.IdPrefix + game);
        var policy = new NumpyRandomState(2024);
        var observation = new float[env.ObservationSpace.FlatSize];
        var returns = new double[Episodes];
        var lengths = new double[Episodes];
        env.Reset(observation, seed: 123);
        for (var episode = 0; episode < Episodes; episode++)
        {
            StepResult result;
            do
            {
                result = env.Step(policy.NextInt(0, 6), observation);
                returns[episode] += result.Reward;
                lengths[episode]++;
            }
            while (!result.Done);

            env.Reset(observation);
        }

        // Four combined standard errors; the reference gives none for lengths, so its own is taken as ours.
        var (mean, error) = MeanAndError(returns);
        Assert.True(Math.Abs(mean - referenceReturn) <= 4 * Math.Sqrt((referenceError * referenceError) + (error * error)), $"{game}: mean return {mean:0.000} ± {error:0.000}, reference {referenceReturn} ± {referenceError}");
        var (length, lengthError) = MeanAndError(lengths);
        Assert.True(Math.Abs(length - referenceLength) <= 4 * Math.Sqrt(2) * lengthError + 0.05, $"{game}: mean length {length:0.0} ± {lengthError:0.0}, reference {referenceLength}");
    }

    private static (double Mean, double StandardError) MeanAndError(double[] values)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, Math.Sqrt(variance / values.Length));
    }
}
