using System.CommandLine;
using System.Diagnostics;
using System.Text;
using PipeRL.Cli.Play;
using PipeRL.Envs;
using PipeRL.Envs.MinAtar;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl play minatar/&lt;game&gt;</c>: watch or play a MinAtar game in the terminal.</summary>
internal static class PlayCommand
{
    private const int DefaultScriptedFrames = 100;

    /// <summary>Creates the <c>play</c> command.</summary>
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "The env id: minatar/<game> or minatar/<game>-minimal (" + string.Join(", ", MinAtarGames.GameNames) + ")." };
        var policy = new Option<string?>("--policy") { Description = "Who acts: 'human' (arrows move, space fires, q quits) or 'random'. Default: human in a terminal, random otherwise." };
        var steps = new Option<int?>("--steps") { Description = $"Frames to play; default: until q for a human, {DefaultScriptedFrames} otherwise." };
        var delay = new Option<int?>("--delay-ms") { Description = "Milliseconds per frame; default: 150 for a human, 60 for random play in a terminal, 0 when not in a terminal." };
        var seed = new Option<int>("--seed") { Description = "Seed of the game's numpy RandomState (and of the random policy).", DefaultValueFactory = _ => 0 };
        var sticky = new Option<double>("--sticky") { Description = "Sticky-action probability (MinAtar's default 0.1).", DefaultValueFactory = _ => MinAtarEnvironment.DefaultStickyActionProbability };
        var command = new Command("play", "Play or watch a MinAtar game in the terminal, drawn with one ANSI colour per channel.") { env, policy, steps, delay, seed, sticky };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var interactive = ReferenceEquals(output, Console.Out) && !Console.IsInputRedirected && !Console.IsOutputRedirected;
            var options = new PlayOptions(
                parseResult.GetValue(env)!,
                ParsePolicy(parseResult.GetValue(policy), interactive),
                parseResult.GetValue(steps),
                parseResult.GetValue(delay),
                parseResult.GetValue(seed),
                parseResult.GetValue(sticky),
                interactive);
            return Play(options, output);
        });
        return command;
    }

    private static bool ParsePolicy(string? policy, bool interactive) => policy switch
    {
        null => interactive,
        "human" when interactive => true,
        "human" => throw new UsageException("--policy human needs a terminal (stdin and stdout not redirected); use --policy random to watch."),
        "random" => false,
        _ => throw new UsageException($"unknown --policy '{policy}'; use 'human' or 'random'."),
    };

    private static int Play(PlayOptions options, TextWriter output)
    {
        if (options.Steps is < 1)
        {
            throw new UsageException($"--steps must be at least 1, got {options.Steps}.");
        }

        if (options.DelayMs is < 0)
        {
            throw new UsageException($"--delay-ms must be 0 or more, got {options.DelayMs}.");
        }

        if (options.Seed < 0)
        {
            throw new UsageException($"--seed must be 0 or more (numpy seeds are 0..2^32-1), got {options.Seed}.");
        }

        if (!(options.Sticky >= 0 && options.Sticky <= 1))
        {
            throw new UsageException($"--sticky must lie in [0, 1], got {options.Sticky}.");
        }

        if (!MinAtarGames.Ids.Contains(options.Id))
        {
            throw new UsageException($"Unknown MinAtar env '{options.Id}'; valid ids: {string.Join(", ", MinAtarGames.Ids)}.");
        }

        using (var env = MinAtarGames.Create(options.Id, options.Sticky, seed: (uint)options.Seed))
        {
            var session = new PlaySession(env, options, output);
            session.Run();
        }

        return PiperlApp.Success;
    }

    private sealed record PlayOptions(string Id, bool Human, int? Steps, int? DelayMs, int Seed, double Sticky, bool Interactive);

    private sealed class PlaySession(MinAtarEnv env, PlayOptions options, TextWriter output)
    {
        private readonly MinAtarFrameRenderer _renderer = new(env.Environment.Game.ChannelNames);
        private readonly float[] _observation = new float[env.ObservationSpace.FlatSize];
        private readonly NumpyRandomState _policy = new(unchecked((uint)options.Seed + 1));
        private readonly StringBuilder _frame = new();
        private int _episode = 1;
        private double _return;
        private readonly List<double> _returns = [];

        public void Run()
        {
            var frames = options.Steps ?? (options.Human ? int.MaxValue : DefaultScriptedFrames);
            var delay = options.DelayMs ?? (options.Human ? 150 : options.Interactive ? 60 : 0);
            if (options.Interactive)
            {
                output.Write("\u001b[2J");
            }

            env.Reset(_observation, options.Seed);
            Draw(0, "reset");
            for (var frame = 1; frame <= frames; frame++)
            {
                var action = options.Human ? ReadHumanAction(delay) : RandomAction(delay);
                if (action is null)
                {
                    break;
                }

                var result = env.Step(action.Value, _observation);
                _return += result.Reward;
                var effective = (MinAtarAction)env.Environment.LastAction;
                Draw(frame, $"{(MinAtarAction)env.FullAction(action.Value)} -> {effective}");
                if (result.Done)
                {
                    _returns.Add(_return);
                    output.WriteLine($"episode {_episode} ended: return {_return}");
                    _episode++;
                    _return = 0;
                    env.Reset(_observation);
                }
            }

            var mean = _returns.Count > 0 ? _returns.Average() : double.NaN;
            output.WriteLine(_returns.Count > 0
                ? $"{_returns.Count} episode(s) finished, mean return {mean:0.###}; last episode's return so far {_return}"
                : $"no episode finished; return so far {_return}");
        }

        private int? RandomAction(int delay)
        {
            Pause(delay);
            return _policy.NextInt(0, env.ActionSpace is DiscreteSpace d ? d.N : 1);
        }

        private int? ReadHumanAction(int delay)
        {
            var full = MinAtarAction.Noop;
            var clock = Stopwatch.StartNew();
            do
            {
                while (Console.KeyAvailable)
                {
                    var key = Console.ReadKey(intercept: true);
                    if (key.Key is ConsoleKey.Q or ConsoleKey.Escape)
                    {
                        return null;
                    }

                    full = key.Key switch
                    {
                        ConsoleKey.LeftArrow => MinAtarAction.Left,
                        ConsoleKey.RightArrow => MinAtarAction.Right,
                        ConsoleKey.UpArrow => MinAtarAction.Up,
                        ConsoleKey.DownArrow => MinAtarAction.Down,
                        ConsoleKey.Spacebar => MinAtarAction.Fire,
                        _ => full,
                    };
                }

                Thread.Sleep(5);
            }
            while (clock.ElapsedMilliseconds < delay);

            // A key outside a minimal action set plays as no-op.
            for (var a = 0; a < ((DiscreteSpace)env.ActionSpace).N; a++)
            {
                if (env.FullAction(a) == (int)full)
                {
                    return a;
                }
            }

            return 0;
        }

        private static void Pause(int delay)
        {
            if (delay > 0)
            {
                Thread.Sleep(delay);
            }
        }

        private void Draw(int frame, string action)
        {
            _frame.Clear();
            if (options.Interactive)
            {
                _frame.Append("\u001b[H");
            }

            _frame.Append($"{env.Id}  frame {frame}  episode {_episode}  return {_return}  action {action}");
            if (options.Interactive)
            {
                _frame.Append("\u001b[K");
            }

            _frame.Append('\n');
            _renderer.AppendGrid(_frame, env.Environment);
            _frame.Append(_renderer.Legend()).Append('\n');
            if (options.Human)
            {
                _frame.Append("arrows move, space fires, q quits\n");
            }

            output.Write(_frame);
            output.Flush();
        }
    }
}
