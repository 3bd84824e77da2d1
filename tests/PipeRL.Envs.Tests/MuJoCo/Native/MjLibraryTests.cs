using PipeRL.Envs.MuJoCo;
using PipeRL.Envs.MuJoCo.Native;

namespace PipeRL.Envs.Tests.MuJoCo.Native;

public sealed unsafe class MjLibraryTests
{
    [SkippableFact]
    public void Loads_version_222_and_installs_both_hooks()
    {
        var library = MuJoCoAvailability.Require();

        Assert.Equal(222, library.Version());
        Assert.Contains(library.LibraryName, MjLibrary.Candidates);
        Assert.Equal((IntPtr)MjMessages.WarningHook, *library.WarningHookSlot);
        Assert.Equal((IntPtr)MjMessages.ErrorHook, *library.ErrorHookSlot);
    }

    [Fact]
    public void A_missing_library_names_what_is_missing_and_how_to_install_it()
    {
        var ex = Assert.Throws<MuJoCoUnavailableException>(() => MjLibrary.LoadFrom(["libpiperl-no-such-mujoco.so"]));

        Assert.Contains("libpiperl-no-such-mujoco.so", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install libmujoco-dev", ex.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/setup.sh", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Compilation_errors_keep_the_hooks_installed()
    {
        var library = MuJoCoAvailability.Require();

        Assert.Throws<InvalidDataException>(() => MjModel.LoadXmlText("broken.xml", "<mujoco><worldbody><body/>"u8));

        Assert.Equal((IntPtr)MjMessages.WarningHook, *library.WarningHookSlot);
        Assert.Equal((IntPtr)MjMessages.ErrorHook, *library.ErrorHookSlot);
    }
}
