namespace PipeRL.Envs;

/// <summary>
/// An env (single, vector or wrapper) whose whole state can be saved and restored: a copy built the same way that reads
/// the state continues exactly as the original would (observations, rewards, episode ends and random draws), so a
/// checkpointed run resumes bit for bit.
/// </summary>
public interface IStatefulEnv
{
    /// <summary>Writes the state: everything later steps and resets depend on, random sources included.</summary>
    void WriteState(BinaryWriter writer);

    /// <summary>
    /// Replaces the state with one <see cref="WriteState"/> wrote on an env built the same way; the state of another env
    /// or size is refused with an <see cref="InvalidDataException"/>.
    /// </summary>
    void ReadState(BinaryReader reader);
}
