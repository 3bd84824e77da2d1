using PipeRL.Tensors.IO;
using PipeRL.Tensors.Optim;

namespace PipeRL.Tensors.Tests.IO;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "piperl-ck-" + Guid.NewGuid().ToString("N"));

    public CheckpointTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ASharedTensorIsSavedAsItIsAtSaveTimeAndNeverWrittenInto()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var ck = new Checkpoint();
        ck.Share("replay", new Tensor(data, 0, new Shape(2, 2)));
        data[1] = 20;
        string path = Path.Combine(_dir, "shared.ck");
        ck.Save(path);
        Assert.Equal([1f, 20, 3, 4], Checkpoint.Load(path).GetTensor("replay").Span.ToArray());

        // A copy stored under the name afterwards replaces the shared entry instead of writing into its array.
        ck.SetTensor("replay", Tensor.FromArray([7, 8, 9, 10], new Shape(2, 2)));
        Assert.Equal([1f, 20, 3, 4, 5, 6], data);
        Assert.True(ck.Remove("replay"));
        Assert.False(ck.Remove("replay"));
        Assert.DoesNotContain("replay", ck.Tensors.Keys);
    }

    [Fact]
    public void ParametersAndAdamStateRoundTripBitExactly()
    {
        var (mlp, adam) = TrainedModel(1);
        var ck = new Checkpoint();
        ck.AddParameters(mlp.Parameters);
        ck.AddOptimizer(adam);
        ck.SetIntegers("rng", [long.MinValue, 42, -1]);
        string path = Path.Combine(_dir, "sub", "model.ck");
        ck.Save(path);

        var (other, otherAdam) = TrainedModel(99);
        var loaded = Checkpoint.Load(path);
        loaded.RestoreParameters(other.Parameters);
        loaded.RestoreOptimizer(otherAdam);
        for (int i = 0; i < mlp.Parameters.Count; i++)
        {
            Assert.Equal(Bits(mlp.Parameters[i].Value), Bits(other.Parameters[i].Value));
            Assert.Equal(Bits(adam.FirstMoment(i)), Bits(otherAdam.FirstMoment(i)));
            Assert.Equal(Bits(adam.SecondMoment(i)), Bits(otherAdam.SecondMoment(i)));
        }

        Assert.Equal(adam.StepCount, otherAdam.StepCount);
        Assert.Equal([long.MinValue, 42, -1], loaded.GetIntegers("rng"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "sub"), "*.tmp"));
    }

    [Fact]
    public void SameContentsGiveIdenticalFiles()
    {
        var (mlp, _) = TrainedModel(1);
        var a = new Checkpoint();
        a.AddParameters(mlp.Parameters);
        var b = new Checkpoint();
        b.AddParameters(mlp.Parameters.Reverse());
        a.Save(Path.Combine(_dir, "a"));
        b.Save(Path.Combine(_dir, "b"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "a")), File.ReadAllBytes(Path.Combine(_dir, "b")));
    }

    [Fact]
    public void AReusedCheckpointOverwritesItsCopiesAndSavesWithoutCopyingTheWholeFile()
    {
        var big = Tensor.Zeros(new Shape(1024, 1024));
        var ck = new Checkpoint();
        ck.SetTensor("w", big);
        var stored = ck.GetTensor("w");
        string path = Path.Combine(_dir, "big.ck");
        ck.Save(path);

        big.Span[7] = 3.5f;
        ck.SetTensor("w", big);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ck.Save(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A 4 MiB tensor: the copy is updated in place and the file streamed through a 64 KiB buffer.
        Assert.Same(stored, ck.GetTensor("w"));
        Assert.InRange(allocated, 0, 256 * 1024);
        Assert.Equal(3.5f, Checkpoint.Load(path).GetTensor("w").Span[7]);
    }

    [Fact]
    public void ByteEntriesRoundTripAndAReusedBlobIsOverwrittenInPlace()
    {
        var ck = new Checkpoint();
        ck.SetBytes("state", [1, 2, 3, 255]);
        var stored = ck.GetBytes("state");
        ck.SetBytes("state", [9, 8, 7, 6]);
        Assert.Same(stored, ck.GetBytes("state"));
        ck.SetBytes("empty", []);
        string path = Path.Combine(_dir, "bytes.ck");
        ck.Save(path);

        var loaded = Checkpoint.Load(path);
        Assert.Equal([9, 8, 7, 6], loaded.GetBytes("state"));
        Assert.Empty(loaded.GetBytes("empty"));
        Assert.Contains("has no byte entry 'other'", Assert.Throws<InvalidDataException>(() => loaded.GetBytes("other")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVersionOneFileIsStillRead()
    {
        // Version 1 had tensors and integers only, in the same layout.
        string path = SavedFile();
        var expected = Checkpoint.Load(path).Tensors;
        var bytes = File.ReadAllBytes(path);
        bytes[8] = 1;
        System.IO.Hashing.Crc32.Hash(bytes.AsSpan(0, bytes.Length - 4)).CopyTo(bytes, bytes.Length - 4);
        File.WriteAllBytes(path, bytes);
        var loaded = Checkpoint.Load(path).Tensors;
        Assert.Equal(expected.Keys.Order(), loaded.Keys.Order());
        Assert.All(expected, e => Assert.Equal(Bits(e.Value), Bits(loaded[e.Key])));
    }

    [Fact]
    public void FlippedByteIsRefusedAsCorrupt()
    {
        string path = SavedFile();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("CRC-32 mismatch", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(19)]
    [InlineData(100)]
    public void TruncatedFileIsRefused(int keep)
    {
        string path = SavedFile();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..Math.Min(keep, bytes.Length - 1)]);
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Matches("truncated|not a PipeRL checkpoint", ex.Message);
    }

    [Fact]
    public void ForeignFileAndNewerVersionAreRefused()
    {
        string path = Path.Combine(_dir, "foreign");
        File.WriteAllText(path, "{\"weights\": []}");
        Assert.Contains("not a PipeRL checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message, StringComparison.Ordinal);

        string saved = SavedFile();
        var bytes = File.ReadAllBytes(saved);
        bytes[8] = 3;
        File.WriteAllBytes(saved, bytes);
        Assert.Contains("format version 3", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(saved)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShapeMismatchOnRestoreNamesTheTensor()
    {
        string path = SavedFile();
        var wrong = new Mlp("mlp", [3, 5, 2], Activation.Relu, new SeededRandom(1));
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path).RestoreParameters(wrong.Parameters));
        Assert.Contains("mlp.0.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 3]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileSaysSo()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(Path.Combine(_dir, "nope.ck")));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    private string SavedFile()
    {
        var (mlp, _) = TrainedModel(1);
        var ck = new Checkpoint();
        ck.AddParameters(mlp.Parameters);
        string path = Path.Combine(_dir, "m.ck");
        ck.Save(path);
        return path;
    }

    private static (Mlp Mlp, Adam Adam) TrainedModel(ulong seed)
    {
        var mlp = new Mlp("mlp", [3, 4, 2], Activation.Relu, new SeededRandom(seed));
        var adam = new Adam(mlp.Parameters);
        using var tape = new Tape();
        var x = Tensor.Zeros(2, 3);
        new SeededRandom(seed + 1).FillUniform(x.Span, -1, 1);
        for (int i = 0; i < 3; i++)
        {
            tape.Reset();
            adam.ZeroGrad();
            tape.Backward(tape.Sum(tape.Square(mlp.Forward(tape, tape.Input(x)))));
            adam.Step();
        }

        return (mlp, adam);
    }

    private static int[] Bits(Tensor t) => [.. t.Span.ToArray().Select(BitConverter.SingleToInt32Bits)];
}
