using PipeRL.Bench.EnvBenchmarks;

namespace PipeRL.Bench.Tests.EnvBenchmarks;

public sealed class EnvBenchmarkRunnerTests
{
    [Fact]
    public void RowsRunInTurnAndEachGetsItsShareOfTheTime()
    {
        var log = new List<int>();
        var steppers = new List<CountingStepper>();
        EnvBenchmarkCase Case(int id, int envs) => new("test/env", $"row {id}", envs, 1, () =>
        {
            var stepper = new CountingStepper(id, envs, log);
            steppers.Add(stepper);
            return stepper;
        });

        var results = EnvBenchmarkRunner.RunInterleaved([Case(0, 1), Case(1, 3)], TimeSpan.FromMilliseconds(200), slices: 4, seed: 7);

        Assert.Equal(["row 0", "row 1"], results.Select(r => r.Case.Mode));
        Assert.All(results, r => Assert.InRange(r.WallSeconds, 0.2, 2.0));

        // Each row counts its own steps, times its sub-envs.
        Assert.Equal(steppers[0].TimedSteps, results[0].EnvSteps);
        Assert.Equal(steppers[1].TimedSteps * 3, results[1].EnvSteps);

        // After both warm-ups, the rows take turns: four slices each, so seven changes of row.
        var timed = log.SkipWhile(id => id == 0).SkipWhile(id => id == 1).ToList();
        var changes = timed.Zip(timed.Skip(1)).Count(p => p.First != p.Second);
        Assert.Equal(7, changes);
        Assert.All(steppers, s => Assert.True(s.Disposed));
        Assert.All(steppers, s => Assert.Equal(7, s.Seed));
    }

    [Fact]
    public void EveryStepperIsDisposedWhenOneFails()
    {
        var first = new CountingStepper(0, 1, []);
        EnvBenchmarkCase[] cases =
        [
            new("test/env", "fine", 1, 1, () => first),
            new("test/env", "broken", 1, 1, () => throw new InvalidOperationException("no env")),
        ];

        Assert.Throws<InvalidOperationException>(() => EnvBenchmarkRunner.RunInterleaved(cases, TimeSpan.FromMilliseconds(10)));
        Assert.True(first.Disposed);
    }

    private sealed class CountingStepper(int id, int envs, List<int> log) : IEnvStepper
    {
        private long _steps;
        private long _warmupSteps = -1;

        public int EnvsPerStep => envs;

        public bool Disposed { get; private set; }

        public int Seed { get; private set; } = -1;

        /// <summary>Steps after the warm-up: the first run of this row's steps.</summary>
        public long TimedSteps => _steps - _warmupSteps;

        public void Reset(int seed) => Seed = seed;

        public void Step()
        {
            if (_warmupSteps < 0 && _steps > 0 && log[^1] != id)
            {
                _warmupSteps = _steps;
            }

            _steps++;
            log.Add(id);
            Thread.SpinWait(50);
        }

        public void Dispose() => Disposed = true;
    }
}
