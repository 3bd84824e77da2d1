using System.Text.Json;

namespace PipeRL.Envs.MuJoCo.Golden;

/// <summary>
/// A golden trace of a Gymnasium v4 MuJoCo task (JSON Lines): a header, then per episode an <c>episode</c> record
/// (reset seed, start state, length) followed by its <c>step</c> records. The header's episode count and each
/// episode's length are checked, so a truncated file is refused rather than half replayed.
/// </summary>
public sealed class MuJoCoGoldenTrace
{
    private MuJoCoGoldenTrace(string name, string envId, string gymnasiumId, int nq, int nv, int nu, int observationSize, IReadOnlyList<MuJoCoGoldenEpisode> episodes)
    {
        Name = name;
        EnvId = envId;
        GymnasiumId = gymnasiumId;
        Nq = nq;
        Nv = nv;
        Nu = nu;
        ObservationSize = observationSize;
        Episodes = episodes;
    }

    /// <summary>The trace's name (its file name).</summary>
    public string Name { get; }

    /// <summary>PipeRL's id of the task (<c>piperl_id</c>), such as <c>mujoco/hopper</c>.</summary>
    public string EnvId { get; }

    /// <summary>Gymnasium's id (<c>env_id</c>), such as <c>Hopper-v4</c>.</summary>
    public string GymnasiumId { get; }

    /// <summary>Position coordinates.</summary>
    public int Nq { get; }

    /// <summary>Velocity coordinates.</summary>
    public int Nv { get; }

    /// <summary>Actuators.</summary>
    public int Nu { get; }

    /// <summary>Observation length.</summary>
    public int ObservationSize { get; }

    /// <summary>The episodes, in file order.</summary>
    public IReadOnlyList<MuJoCoGoldenEpisode> Episodes { get; }

    /// <summary>Every step of every episode.</summary>
    public int StepCount => Episodes.Sum(e => e.Steps.Count);

    /// <summary>Reads the trace at <paramref name="path"/>; a malformed or truncated file throws <see cref="InvalidDataException"/> naming the line.</summary>
    public static MuJoCoGoldenTrace Load(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, Path.GetFileName(path));
    }

    /// <summary>Reads a trace named <paramref name="name"/> from <paramref name="reader"/>.</summary>
    public static MuJoCoGoldenTrace Read(TextReader reader, string name)
    {
        var parser = new Parser(name);
        JsonLines.Read(reader, name, "MuJoCo golden trace", parser.Add);
        return parser.Finish();
    }

    private sealed class Parser(string name)
    {
        private readonly List<MuJoCoGoldenEpisode> _episodes = [];
        private readonly List<MuJoCoGoldenStep> _steps = [];
        private JsonElement _episode;
        private int _episodeLine;
        private int _declaredLength;
        private string? _envId;
        private string _gymnasiumId = string.Empty;
        private int _declaredEpisodes;
        private int _nq;
        private int _nv;
        private int _nu;
        private int _observationSize;

        public void Add(JsonElement root, int line)
        {
            var type = Field(root, "type").GetString();
            if (_envId is null)
            {
                if (type != "header")
                {
                    throw new InvalidDataException("the first line must be the header (\"type\": \"header\").");
                }

                _envId = Field(root, "piperl_id").GetString() ?? throw new InvalidDataException("'piperl_id' is null.");
                _gymnasiumId = Field(root, "env_id").GetString() ?? string.Empty;
                (_nq, _nv, _nu) = (Field(root, "nq").GetInt32(), Field(root, "nv").GetInt32(), Field(root, "nu").GetInt32());
                _observationSize = Field(root, "obs_dim").GetInt32();
                _declaredEpisodes = Field(root, "episodes").GetInt32();
                return;
            }

            switch (type)
            {
                case "episode":
                    CloseEpisode();
                    _episode = root.Clone();
                    _episodeLine = line;
                    _declaredLength = Field(root, "length").GetInt32();
                    break;
                case "step":
                    _steps.Add(ParseStep(root, line));
                    break;
                default:
                    throw new InvalidDataException($"unknown record type '{type}'; expected 'episode' or 'step'.");
            }
        }

        public MuJoCoGoldenTrace Finish()
        {
            if (_envId is null)
            {
                throw new InvalidDataException($"{name}: empty file; a MuJoCo golden trace starts with a header line.");
            }

            try
            {
                CloseEpisode();
            }
            catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{name}: {ex.Message}", ex);
            }

            if (_episodes.Count != _declaredEpisodes)
            {
                throw new InvalidDataException($"{name}: the header declares {_declaredEpisodes} episodes but the file holds {_episodes.Count}; it is truncated or corrupt.");
            }

            return new MuJoCoGoldenTrace(name, _envId, _gymnasiumId, _nq, _nv, _nu, _observationSize, _episodes);
        }

        private void CloseEpisode()
        {
            if (_episodeLine == 0)
            {
                if (_steps.Count > 0)
                {
                    throw new InvalidDataException("a step before the first episode record.");
                }

                return;
            }

            if (_steps.Count != _declaredLength)
            {
                throw new InvalidDataException($"the episode at line {_episodeLine} declares {_declaredLength} steps but {_steps.Count} follow; the file is truncated or corrupt.");
            }

            var index = Field(_episode, "episode").GetInt32();
            for (var t = 0; t < _steps.Count; t++)
            {
                if (_steps[t].T != t)
                {
                    throw new InvalidDataException($"line {_steps[t].Line} is step t={_steps[t].T} where t={t} was expected.");
                }
            }

            _episodes.Add(new MuJoCoGoldenEpisode
            {
                Line = _episodeLine,
                Index = index,
                ResetSeed = Field(_episode, "reset_seed").GetUInt64(),
                InitQpos = Doubles(_episode, "init_qpos", _nq),
                InitQvel = Doubles(_episode, "init_qvel", _nv),
                ResetQpos = Doubles(_episode, "reset_qpos", _nq),
                ResetQvel = Doubles(_episode, "reset_qvel", _nv),
                ResetObservation = Doubles(_episode, "reset_obs", _observationSize),
                Terminated = Field(_episode, "terminated").GetBoolean(),
                Truncated = Field(_episode, "truncated").GetBoolean(),
                Steps = [.. _steps],
            });
            _steps.Clear();
        }

        private MuJoCoGoldenStep ParseStep(JsonElement root, int line)
        {
            var info = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var entry in Field(root, "info").EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.Number)
                {
                    info[entry.Name] = entry.Value.GetDouble();
                }
            }

            var action = Doubles(root, "action", _nu);
            return new MuJoCoGoldenStep
            {
                Line = line,
                T = Field(root, "t").GetInt32(),
                Action = Array.ConvertAll(action, a => (float)a),
                Observation = Doubles(root, "obs", _observationSize),
                Reward = Field(root, "reward").GetDouble(),
                Terminated = Field(root, "terminated").GetBoolean(),
                Truncated = Field(root, "truncated").GetBoolean(),
                Info = info,
                Qpos = Doubles(root, "qpos", _nq),
                Qvel = Doubles(root, "qvel", _nv),
            };
        }

        private static double[] Doubles(JsonElement element, string field, int length)
        {
            var values = Field(element, field).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            return values.Length == length
                ? values
                : throw new InvalidDataException($"'{field}' has {values.Length} values; the header's dimensions give {length}.");
        }

        private static JsonElement Field(JsonElement element, string field) =>
            element.TryGetProperty(field, out var value) ? value : throw new InvalidDataException($"missing field '{field}'.");
    }
}
