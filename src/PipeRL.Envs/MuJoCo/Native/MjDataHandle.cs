using Microsoft.Win32.SafeHandles;

namespace PipeRL.Envs.MuJoCo.Native;

/// <summary>Owns one <c>mjData*</c> and frees it with <c>mj_deleteData</c>.</summary>
internal sealed unsafe class MjDataHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Takes ownership of <paramref name="data"/>.</summary>
    public MjDataHandle(IntPtr data)
        : base(ownsHandle: true) => SetHandle(data);

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        MjLibrary.Instance.DeleteData(handle);
        return true;
    }
}
