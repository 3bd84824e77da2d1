namespace PipeRL.Tensors.Tests.Modules;

public sealed class MlpTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void InferMatchesTapeForwardExactly(int rows)
    {
        var mlp = new Mlp("mlp", [17, 256, 256, 6], Activation.Relu, new SeededRandom(1));
        var x = Tensor.Zeros(rows, 17);
        new SeededRandom(2).FillUniform(x.Span, -1, 1);
        var y = new float[rows * 6];
        mlp.Infer(x.Span, y, rows);
        using var tape = new Tape();
        Assert.Equal(mlp.Forward(tape, tape.Input(x)).Value.Span.ToArray(), y);
    }

    [Fact]
    public void ParameterNamesAndOrder()
    {
        var mlp = new Mlp("actor", [3, 4, 2], Activation.Tanh, new SeededRandom(1));
        Assert.Equal(["actor.0.weight", "actor.0.bias", "actor.1.weight", "actor.1.bias"], mlp.Parameters.Select(p => p.Name));
        Assert.Equal(new Shape(4, 3), mlp.Parameters[0].Shape);
    }

    [Fact]
    public void TooFewSizesAreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Mlp("m", [3], Activation.Relu, new SeededRandom(1)));
        Assert.Contains("at least an input and an output", ex.Message, StringComparison.Ordinal);
    }
}
