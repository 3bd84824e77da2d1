using PipeRL.Agents.Networks;
using PipeRL.Tensors;

namespace PipeRL.Agents.Tests.Networks;

public sealed class ValueNetworkTests
{
    [Fact]
    public void ParametersKeepTheNamesOfTheHandWrittenCritic()
    {
        // Checkpoints written before the critic was a graph restore by these names.
        Assert.Equal(
            ["critic.fc1.weight", "critic.fc1.bias", "critic.fc2.weight", "critic.fc2.bias", "critic.value.weight", "critic.value.bias"],
            new ValueNetwork([4], NetworkSize.Small, new SeededRandom(1)).Parameters.Select(p => p.Name));
        Assert.Equal(
            ["critic.conv1.weight", "critic.conv1.bias", "critic.conv2.weight", "critic.conv2.bias", "critic.conv3.weight", "critic.conv3.bias", "critic.fc1.weight", "critic.fc1.bias", "critic.value.weight", "critic.value.bias"],
            new ValueNetwork([10, 10, 4], NetworkSize.Paper, new SeededRandom(1)).Parameters.Select(p => p.Name));
    }

    [Fact]
    public void ForwardIsTheTanhMlpOfItsWeights()
    {
        var critic = new ValueNetwork([3], NetworkSize.Small, new SeededRandom(2), history: 1, actionWidth: 2);
        Assert.Equal(5, critic.InputSize);
        var p = critic.Parameters;
        foreach (var bias in new[] { p[1], p[3], p[5] })
        {
            // CleanRL's initialisation leaves zero biases; give them values so the check covers them.
            new SeededRandom(7).FillUniform(bias.Value.Span, -0.5f, 0.5f);
        }

        const int rows = 3;
        var x = new float[rows * 5];
        new SeededRandom(3).FillUniform(x, -1, 1);
        using var tape = new Tape();
        var values = critic.Forward(tape, Tensor.FromArray((float[])x.Clone(), new Shape(rows, 5))).Value.Span.ToArray();

        Assert.Equal(rows, values.Length);
        for (var r = 0; r < rows; r++)
        {
            var h1 = Dense(p[0].Value.Span, p[1].Value.Span, x.AsSpan(r * 5, 5), tanh: true);
            var h2 = Dense(p[2].Value.Span, p[3].Value.Span, h1, tanh: true);
            var v = Dense(p[4].Value.Span, p[5].Value.Span, h2, tanh: false)[0];
            Assert.Equal(v, values[r], 1e-5f);
        }
    }

    [Fact]
    public void InitialisationIsCleanRls()
    {
        var p = new ValueNetwork([8], NetworkSize.Small, new SeededRandom(4)).Parameters;
        // fc2 is a square orthogonal matrix of gain sqrt 2 (W Wt = 2 I); the value row has norm 1; biases are zero.
        var w = p[2].Value.Span;
        for (var i = 0; i < 64; i++)
        {
            for (var j = 0; j < 64; j++)
            {
                var dot = 0.0;
                for (var k = 0; k < 64; k++)
                {
                    dot += w[(i * 64) + k] * w[(j * 64) + k];
                }

                Assert.Equal(i == j ? 2.0 : 0.0, dot, 1e-4);
            }
        }

        var norm = 0.0;
        foreach (var v in p[4].Value.Span)
        {
            norm += v * v;
        }

        Assert.Equal(1.0, norm, 1e-5);
        Assert.All(new[] { p[1], p[3], p[5] }, b => Assert.True(b.Value.Span.IndexOfAnyExcept(0f) < 0));
    }

    [Fact]
    public void AnImageCriticReadsTheHistoryAfterThePixels()
    {
        var critic = new ValueNetwork([5, 5, 2], NetworkSize.Small, new SeededRandom(5), history: 1, actionWidth: 3);
        Assert.Equal(53, critic.InputSize);
        var x = new float[53];
        new SeededRandom(6).FillUniform(x, 0, 1);
        var other = (float[])x.Clone();
        other[52] += 1f;
        using var tape = new Tape();
        var a = critic.Forward(tape, Tensor.FromArray(x, new Shape(1, 53))).Value.Span[0];
        var b = critic.Forward(tape, Tensor.FromArray(other, new Shape(1, 53))).Value.Span[0];

        Assert.NotEqual(a, b);
    }

    private static float[] Dense(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, bool tanh)
    {
        var y = new float[bias.Length];
        for (var o = 0; o < y.Length; o++)
        {
            var sum = (double)bias[o];
            for (var i = 0; i < x.Length; i++)
            {
                sum += weight[(o * x.Length) + i] * x[i];
            }

            y[o] = tanh ? (float)Math.Tanh(sum) : (float)sum;
        }

        return y;
    }
}
