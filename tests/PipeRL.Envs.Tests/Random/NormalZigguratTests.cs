namespace PipeRL.Envs.Tests.Random;

/// <summary>
/// numpy's ziggurat constants are copied, not computed; these checks recompute them with Marsaglia and Tsang's recurrence
/// (the one numpy's tables come from) and require agreement to the last few bits, which a mistyped digit cannot pass.
/// </summary>
public sealed class NormalZigguratTests
{
    private const double Strip = 0.00492867323397465;
    private const double Bits = 4503599627370496.0; // 2^52

    private static (ulong[] Ki, double[] Wi, double[] Fi) Recomputed()
    {
        var (ki, wi, fi) = (new ulong[256], new double[256], new double[256]);
        var dn = NormalZiggurat.R;
        var tn = dn;
        var q = Strip / Math.Exp(-0.5 * dn * dn);
        ki[0] = (ulong)(dn / q * Bits);
        ki[1] = 0;
        wi[0] = q / Bits;
        wi[255] = dn / Bits;
        fi[0] = 1.0;
        fi[255] = Math.Exp(-0.5 * dn * dn);
        for (var i = 254; i >= 1; i--)
        {
            dn = Math.Sqrt(-2 * Math.Log((Strip / dn) + Math.Exp(-0.5 * dn * dn)));
            ki[i + 1] = (ulong)(dn / tn * Bits);
            tn = dn;
            fi[i] = Math.Exp(-0.5 * dn * dn);
            wi[i] = dn / Bits;
        }

        return (ki, wi, fi);
    }

    [Fact]
    public void TheCopiedTablesAreTheRecurrenceToTheLastBits()
    {
        var (ki, wi, fi) = Recomputed();
        for (var i = 0; i < 256; i++)
        {
            Assert.True(Math.Abs((double)NormalZiggurat.Ki[i] - ki[i]) <= 64, $"ki[{i}]: {NormalZiggurat.Ki[i]:X} against {ki[i]:X}");
            Assert.True(Math.Abs(NormalZiggurat.Wi[i] - wi[i]) <= 1e-13 * wi[i], $"wi[{i}]: {NormalZiggurat.Wi[i]:R} against {wi[i]:R}");
            Assert.True(Math.Abs(NormalZiggurat.Fi[i] - fi[i]) <= 1e-13 * fi[i], $"fi[{i}]: {NormalZiggurat.Fi[i]:R} against {fi[i]:R}");
        }
    }

    [Fact]
    public void EachStripsConstantsAgreeWithEachOtherToAnUlp()
    {
        // The recurrence's rounding grows towards the inner strips, so the check above allows 1e-13; within the table,
        // fi is exp(-x²/2) at the edge x = wi · 2^52 and ki the truncated ratio of neighbouring edges, to an ulp or two.
        for (var i = 1; i < 256; i++)
        {
            var x = NormalZiggurat.Wi[i] * Bits;
            Assert.True(Math.Abs(NormalZiggurat.Fi[i] - Math.Exp(-0.5 * x * x)) <= 2 * Math.BitIncrement(NormalZiggurat.Fi[i]) - 2 * NormalZiggurat.Fi[i], $"fi[{i}]");
            if (i >= 2)
            {
                var ratio = Math.Floor(NormalZiggurat.Wi[i - 1] / NormalZiggurat.Wi[i] * Bits);
                Assert.True(Math.Abs((double)NormalZiggurat.Ki[i] - ratio) <= 1, $"ki[{i}]: {NormalZiggurat.Ki[i]:X} against {(ulong)ratio:X}");
            }
        }
    }

    [Fact]
    public void StripEdgesMoveOutwardsAndTheTailConstantsAgree()
    {
        for (var i = 2; i < 256; i++)
        {
            Assert.True(NormalZiggurat.Fi[i] < NormalZiggurat.Fi[i - 1], $"fi[{i}]");
            Assert.True(NormalZiggurat.Wi[i] > NormalZiggurat.Wi[i - 1], $"wi[{i}]");
        }

        Assert.Equal(1 / NormalZiggurat.R, NormalZiggurat.InverseR, 15);
        Assert.Equal(NormalZiggurat.R / Bits, NormalZiggurat.Wi[255]);
    }
}
