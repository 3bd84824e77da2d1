using PipeRL.Envs.MuJoCo.Golden;

namespace PipeRL.Envs.Tests.MuJoCo.Golden;

public sealed class MuJoCoGoldenTraceTests
{
    private const string Header = """{"type": "header", "env_id": "Hopper-v4", "piperl_id": "mujoco/hopper", "nq": 2, "nv": 1, "nu": 1, "obs_dim": 2, "episodes": 1}""";
    private const string Episode = """{"type": "episode", "episode": 0, "reset_seed": 7, "init_qpos": [0.5, 1.25], "init_qvel": [-0.0], "reset_qpos": [0.5, 1.25], "reset_qvel": [-0.0], "reset_obs": [1.25, -0.0], "length": 2, "terminated": true, "truncated": false}""";

    [Fact]
    public void Reads_episodes_with_their_steps()
    {
        var trace = Read(Header, Episode, Step(0), Step(1));

        Assert.Equal(("mujoco/hopper", "Hopper-v4", 2, 1, 1, 2), (trace.EnvId, trace.GymnasiumId, trace.Nq, trace.Nv, trace.Nu, trace.ObservationSize));
        var episode = Assert.Single(trace.Episodes);
        Assert.Equal((2, 0, 7UL, true, false), (episode.Line, episode.Index, episode.ResetSeed, episode.Terminated, episode.Truncated));
        Assert.Equal([0.5, 1.25], episode.InitQpos);
        Assert.True(double.IsNegative(episode.InitQvel[0]));
        Assert.Equal(2, trace.StepCount);
        var step = episode.Steps[1];
        Assert.Equal((4, 1, 0.25, false), (step.Line, step.T, step.Reward, step.Truncated));
        Assert.Equal([0.1f], step.Action);
        Assert.Equal(0.5, step.Info["x_position"]);
        Assert.False(step.Info.ContainsKey("note"));
    }

    [Theory]
    [InlineData(1, "the episode at line 2 declares 2 steps but 1 follow")]
    [InlineData(0, "the episode at line 2 declares 2 steps but 0 follow")]
    public void A_truncated_episode_is_refused(int steps, string message)
    {
        var lines = new[] { Header, Episode }.Concat(Enumerable.Range(0, steps).Select(Step)).ToArray();

        var ex = Assert.Throws<InvalidDataException>(() => Read(lines));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_episode_is_refused()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read(Header.Replace("\"episodes\": 1", "\"episodes\": 2", StringComparison.Ordinal), Episode, Step(0), Step(1)));

        Assert.Contains("declares 2 episodes but the file holds 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type": "bogus"}""", "t.jsonl:5: not a MuJoCo golden trace line: unknown record type 'bogus'")]
    [InlineData("not json", "t.jsonl:5:")]
    public void Malformed_lines_name_the_line(string line, string message)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Read(Header, Episode, Step(0), Step(1), line));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arrays_of_the_wrong_size_and_steps_out_of_order_are_refused()
    {
        var shortQpos = Assert.Throws<InvalidDataException>(() => Read(Header, Episode.Replace("\"init_qpos\": [0.5, 1.25]", "\"init_qpos\": [0.5]", StringComparison.Ordinal), Step(0), Step(1)));
        Assert.Contains("'init_qpos' has 1 values; the header's dimensions give 2", shortQpos.Message, StringComparison.Ordinal);

        var disorder = Assert.Throws<InvalidDataException>(() => Read(Header, Episode, Step(1), Step(0)));
        Assert.Contains("line 3 is step t=1 where t=0 was expected", disorder.Message, StringComparison.Ordinal);

        Assert.Contains("empty file", Assert.Throws<InvalidDataException>(() => Read()).Message, StringComparison.Ordinal);
    }

    private static string Step(int t) =>
        $$"""{"type": "step", "episode": 0, "t": {{t}}, "action": [0.10000000149011612], "obs": [1.0, 2.0], "reward": 0.25, "terminated": {{(t == 1 ? "true" : "false")}}, "truncated": false, "info": {"x_position": 0.5, "note": "text"}, "qpos": [0.5, 1.0], "qvel": [2.0]}""";

    private static MuJoCoGoldenTrace Read(params string[] lines) => MuJoCoGoldenTrace.Read(new StringReader(string.Join('\n', lines)), "t.jsonl");
}
