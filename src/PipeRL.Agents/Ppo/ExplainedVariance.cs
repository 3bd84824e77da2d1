namespace PipeRL.Agents.Ppo;

/// <summary>How much of the returns' variance the critic explains: <c>1 - Var(y - ŷ) / Var(y)</c>.</summary>
public static class ExplainedVariance
{
    /// <summary>The explained variance of <paramref name="predicted"/> for <paramref name="actual"/>; NaN when the actual values are constant.</summary>
    public static double Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
    {
        if (predicted.Length != actual.Length || actual.Length == 0)
        {
            throw new ArgumentException("Explained variance needs two non-empty spans of equal length.");
        }

        double meanY = 0, meanDiff = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            meanY += actual[i];
            meanDiff += actual[i] - predicted[i];
        }

        meanY /= actual.Length;
        meanDiff /= actual.Length;
        double varY = 0, varDiff = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var y = actual[i] - meanY;
            var d = actual[i] - predicted[i] - meanDiff;
            varY += y * y;
            varDiff += d * d;
        }

        return varY == 0 ? double.NaN : 1 - (varDiff / varY);
    }
}
