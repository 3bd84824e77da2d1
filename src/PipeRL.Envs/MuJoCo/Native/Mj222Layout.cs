namespace PipeRL.Envs.MuJoCo.Native;

/// <summary>
/// Byte offsets of the <c>mjModel</c>, <c>mjData</c> and <c>mjVFS</c> fields PipeRL reads, for MuJoCo 2.2.2 on
/// x86_64 (measured with <c>offsetof</c> against the 2.2.2 headers). Only valid when <c>mj_version() == 222</c>;
/// <see cref="MjLibrary"/> refuses any other version and <see cref="MjData"/> checks the layout at creation.
/// </summary>
internal static class Mj222Layout
{
    /// <summary>The only MuJoCo version these offsets describe, as <c>mj_version()</c> returns it.</summary>
    public const int Version = 222;

    /// <summary>Size of <c>mjVFS</c> (2000 names of 1000 bytes, sizes and data pointers).</summary>
    public const int VfsSize = 2024008;

    /// <summary><c>mjVFS.filedata</c> (void*[2000]).</summary>
    public const int VfsFileData = 2008008;

    /// <summary>Number of <c>mjData.warning</c> entries (<c>mjNWARNING</c>).</summary>
    public const int WarningCount = 8;

    /// <summary>First warning index that means MuJoCo reset the data itself (<c>mjWARN_BADQPOS</c>; then QVEL, QACC, CTRL).</summary>
    public const int FirstInstabilityWarning = 4;

    /// <summary><c>mjtObj</c> value of a body, for <c>mj_name2id</c>.</summary>
    public const int ObjBody = 1;

    /// <summary>Offsets inside <c>mjModel</c> (sizeof 3280).</summary>
    public static class Model
    {
        /// <summary><c>nq</c> (int); nv, nu, na, nbody, njnt and ngeom follow at steps of 4 bytes.</summary>
        public const int Nq = 0;

        /// <summary><c>nv</c> (int).</summary>
        public const int Nv = 4;

        /// <summary><c>nu</c> (int).</summary>
        public const int Nu = 8;

        /// <summary><c>na</c> (int).</summary>
        public const int Na = 12;

        /// <summary><c>nbody</c> (int).</summary>
        public const int NBody = 16;

        /// <summary><c>njnt</c> (int).</summary>
        public const int NJnt = 20;

        /// <summary><c>ngeom</c> (int).</summary>
        public const int NGeom = 24;

        /// <summary><c>nstack</c> (int).</summary>
        public const int NStack = 216;

        /// <summary><c>opt.timestep</c> (double).</summary>
        public const int Timestep = 232;

        /// <summary><c>opt.gravity</c> (double[3]).</summary>
        public const int Gravity = 280;

        /// <summary><c>opt.integrator</c> (int).</summary>
        public const int Integrator = 432;

        /// <summary><c>qpos0</c> (double*, nq).</summary>
        public const int Qpos0 = 1096;

        /// <summary><c>body_parentid</c> (int*, nbody).</summary>
        public const int BodyParentId = 1112;

        /// <summary><c>body_pos</c> (double*, nbody×3).</summary>
        public const int BodyPos = 1208;

        /// <summary><c>body_quat</c> (double*, nbody×4).</summary>
        public const int BodyQuat = 1216;

        /// <summary><c>body_ipos</c> (double*, nbody×3).</summary>
        public const int BodyIpos = 1224;

        /// <summary><c>body_iquat</c> (double*, nbody×4).</summary>
        public const int BodyIquat = 1232;

        /// <summary><c>body_mass</c> (double*, nbody).</summary>
        public const int BodyMass = 1240;

        /// <summary><c>body_inertia</c> (double*, nbody×3).</summary>
        public const int BodyInertia = 1256;

        /// <summary><c>jnt_type</c> (int*, njnt).</summary>
        public const int JntType = 1280;

        /// <summary><c>jnt_qposadr</c> (int*, njnt).</summary>
        public const int JntQposAdr = 1288;

        /// <summary><c>jnt_bodyid</c> (int*, njnt).</summary>
        public const int JntBodyId = 1304;

        /// <summary><c>jnt_limited</c> (byte*, njnt).</summary>
        public const int JntLimited = 1320;

        /// <summary><c>jnt_solref</c> (double*, njnt×2).</summary>
        public const int JntSolref = 1328;

        /// <summary><c>jnt_solimp</c> (double*, njnt×5).</summary>
        public const int JntSolimp = 1336;

        /// <summary><c>jnt_pos</c> (double*, njnt×3).</summary>
        public const int JntPos = 1344;

        /// <summary><c>jnt_axis</c> (double*, njnt×3).</summary>
        public const int JntAxis = 1352;

        /// <summary><c>jnt_stiffness</c> (double*, njnt).</summary>
        public const int JntStiffness = 1360;

        /// <summary><c>jnt_range</c> (double*, njnt×2).</summary>
        public const int JntRange = 1368;

        /// <summary><c>jnt_margin</c> (double*, njnt).</summary>
        public const int JntMargin = 1376;

        /// <summary><c>dof_frictionloss</c> (double*, nv).</summary>
        public const int DofFrictionLoss = 1448;

        /// <summary><c>dof_armature</c> (double*, nv).</summary>
        public const int DofArmature = 1456;

        /// <summary><c>dof_damping</c> (double*, nv).</summary>
        public const int DofDamping = 1464;

        /// <summary><c>geom_type</c> (int*, ngeom).</summary>
        public const int GeomType = 1488;

        /// <summary><c>geom_contype</c> (int*, ngeom).</summary>
        public const int GeomContype = 1496;

        /// <summary><c>geom_conaffinity</c> (int*, ngeom).</summary>
        public const int GeomConaffinity = 1504;

        /// <summary><c>geom_condim</c> (int*, ngeom).</summary>
        public const int GeomCondim = 1512;

        /// <summary><c>geom_bodyid</c> (int*, ngeom).</summary>
        public const int GeomBodyId = 1520;

        /// <summary><c>geom_solref</c> (double*, ngeom×2).</summary>
        public const int GeomSolref = 1576;

        /// <summary><c>geom_solimp</c> (double*, ngeom×5).</summary>
        public const int GeomSolimp = 1584;

        /// <summary><c>geom_size</c> (double*, ngeom×3).</summary>
        public const int GeomSize = 1592;

        /// <summary><c>geom_pos</c> (double*, ngeom×3).</summary>
        public const int GeomPos = 1608;

        /// <summary><c>geom_quat</c> (double*, ngeom×4).</summary>
        public const int GeomQuat = 1616;

        /// <summary><c>geom_friction</c> (double*, ngeom×3).</summary>
        public const int GeomFriction = 1624;

        /// <summary><c>geom_margin</c> (double*, ngeom).</summary>
        public const int GeomMargin = 1632;

        /// <summary><c>actuator_trntype</c> (int*, nu).</summary>
        public const int ActuatorTrnType = 2696;

        /// <summary><c>actuator_trnid</c> (int*, nu×2).</summary>
        public const int ActuatorTrnId = 2728;

        /// <summary><c>actuator_ctrllimited</c> (byte*, nu).</summary>
        public const int ActuatorCtrlLimited = 2744;

        /// <summary><c>actuator_gainprm</c> (double*, nu×10).</summary>
        public const int ActuatorGainPrm = 2776;

        /// <summary><c>actuator_biasprm</c> (double*, nu×10).</summary>
        public const int ActuatorBiasPrm = 2784;

        /// <summary><c>actuator_ctrlrange</c> (double*, nu×2).</summary>
        public const int ActuatorCtrlRange = 2792;

        /// <summary><c>actuator_gear</c> (double*, nu×6).</summary>
        public const int ActuatorGear = 2816;
    }

    /// <summary>Offsets inside <c>mjData</c> (sizeof 41176).</summary>
    public static class Data
    {
        /// <summary><c>nbuffer</c> (int): size of the block every array below points into.</summary>
        public const int NBuffer = 4;

        /// <summary><c>warning</c> (mjWarningStat[8] of {int lastinfo; int number}).</summary>
        public const int Warning = 24;

        /// <summary><c>ncon</c> (int).</summary>
        public const int NCon = 40332;

        /// <summary><c>time</c> (double).</summary>
        public const int Time = 40336;

        /// <summary><c>buffer</c> (void*).</summary>
        public const int Buffer = 40360;

        /// <summary><c>qpos</c> (double*, nq).</summary>
        public const int Qpos = 40376;

        /// <summary><c>qvel</c> (double*, nv).</summary>
        public const int Qvel = 40384;

        /// <summary><c>act</c> (double*, na).</summary>
        public const int Act = 40392;

        /// <summary><c>qacc_warmstart</c> (double*, nv).</summary>
        public const int QaccWarmstart = 40400;

        /// <summary><c>ctrl</c> (double*, nu).</summary>
        public const int Ctrl = 40408;

        /// <summary><c>qacc</c> (double*, nv).</summary>
        public const int Qacc = 40448;

        /// <summary><c>xpos</c> (double*, nbody×3).</summary>
        public const int Xpos = 40480;

        /// <summary><c>cfrc_ext</c> (double*, nbody×6).</summary>
        public const int CfrcExt = 41168;
    }
}
