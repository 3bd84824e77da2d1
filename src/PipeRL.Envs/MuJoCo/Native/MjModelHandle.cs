using Microsoft.Win32.SafeHandles;

namespace PipeRL.Envs.MuJoCo.Native;

/// <summary>Owns one <c>mjModel*</c> and frees it with <c>mj_deleteModel</c>.</summary>
internal sealed unsafe class MjModelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Takes ownership of <paramref name="model"/>.</summary>
    public MjModelHandle(IntPtr model)
        : base(ownsHandle: true) => SetHandle(model);

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        MjLibrary.Instance.DeleteModel(handle);
        return true;
    }
}
