using System.Numerics;

namespace PipeRL.Envs;

/// <summary>
/// numpy's <c>SeedSequence(entropy)</c> for a non-negative integer (no spawn key, the default pool of four 32-bit
/// words): the integer is split into 32-bit words lowest first, hashed into the pool and mixed so every word affects
/// every other, and <see cref="GenerateState(Span{uint})"/> hashes the pool cyclically into seed words.
/// </summary>
public sealed class SeedSequence
{
    /// <summary>Words in the entropy pool (numpy's default <c>pool_size</c>).</summary>
    public const int PoolSize = 4;

    private const uint InitA = 0x43b0d7e5;
    private const uint MultA = 0x931e8875;
    private const uint InitB = 0x8b51f9dd;
    private const uint MultB = 0x58f38ded;
    private const uint MixMultL = 0xca01f9dd;
    private const uint MixMultR = 0x4973f715;
    private const int XShift = 16;

    private readonly uint[] _pool = new uint[PoolSize];

    /// <summary>Mixes <paramref name="entropy"/> as <c>SeedSequence(entropy)</c> does.</summary>
    public SeedSequence(ulong entropy)
    {
        Span<uint> words = [(uint)entropy, (uint)(entropy >> 32)];
        MixEntropy(entropy >> 32 == 0 ? words[..1] : words);
    }

    /// <summary>Mixes a sequence of 32-bit words, as <c>SeedSequence([w0, w1, ...])</c> does for integers below 2³².</summary>
    public SeedSequence(ReadOnlySpan<uint> entropy) => MixEntropy(entropy);

    /// <summary>Mixes an integer of any size (such as the 128-bit entropy numpy prints for a fresh sequence).</summary>
    public SeedSequence(BigInteger entropy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(entropy);
        var bytes = entropy.ToByteArray(isUnsigned: true, isBigEndian: false);
        var words = new uint[Math.Max(1, (bytes.Length + 3) / 4)];
        for (var i = 0; i < bytes.Length; i++)
        {
            words[i / 4] |= (uint)bytes[i] << (8 * (i % 4));
        }

        MixEntropy(words);
    }

    /// <summary>The mixed pool (numpy's <c>SeedSequence.pool</c>).</summary>
    public ReadOnlySpan<uint> Pool => _pool;

    /// <summary>Fills <paramref name="state"/> as <c>generate_state(n_words, np.uint32)</c> does.</summary>
    public void GenerateState(Span<uint> state)
    {
        var hashConst = InitB;
        for (var i = 0; i < state.Length; i++)
        {
            state[i] = StateWord(i, ref hashConst);
        }
    }

    /// <summary>Fills <paramref name="state"/> as <c>generate_state(n_words, np.uint64)</c> does: pairs of 32-bit words, low word first.</summary>
    public void GenerateState(Span<ulong> state)
    {
        var hashConst = InitB;
        for (var i = 0; i < state.Length; i++)
        {
            var low = StateWord(2 * i, ref hashConst);
            state[i] = low | ((ulong)StateWord((2 * i) + 1, ref hashConst) << 32);
        }
    }

    private static uint HashMix(uint value, ref uint hashConst)
    {
        unchecked
        {
            value ^= hashConst;
            hashConst *= MultA;
            value *= hashConst;
            return value ^ (value >> XShift);
        }
    }

    private static uint Mix(uint x, uint y)
    {
        var result = unchecked((MixMultL * x) - (MixMultR * y));
        return result ^ (result >> XShift);
    }

    private uint StateWord(int index, ref uint hashConst)
    {
        unchecked
        {
            var value = _pool[index % PoolSize] ^ hashConst;
            hashConst *= MultB;
            value *= hashConst;
            return value ^ (value >> XShift);
        }
    }

    private void MixEntropy(ReadOnlySpan<uint> entropy)
    {
        var hashConst = InitA;
        for (var i = 0; i < PoolSize; i++)
        {
            _pool[i] = HashMix(i < entropy.Length ? entropy[i] : 0u, ref hashConst);
        }

        // Every pool word is mixed into every other, so late words reach early ones.
        for (var source = 0; source < PoolSize; source++)
        {
            for (var destination = 0; destination < PoolSize; destination++)
            {
                if (source != destination)
                {
                    _pool[destination] = Mix(_pool[destination], HashMix(_pool[source], ref hashConst));
                }
            }
        }

        for (var source = PoolSize; source < entropy.Length; source++)
        {
            for (var destination = 0; destination < PoolSize; destination++)
            {
                _pool[destination] = Mix(_pool[destination], HashMix(entropy[source], ref hashConst));
            }
        }
    }
}
