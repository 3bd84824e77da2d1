using System.CommandLine;
using PipeRL.Experiments.Reports;
using PipeRL.Experiments.Runs;

namespace PipeRL.Cli.Commands;

/// <summary><c>piperl report STUDY</c>: the study's table and figures as Markdown and a self-contained HTML page.</summary>
internal static class ReportCommand
{
    /// <summary>Creates the <c>report</c> command.</summary>
    public static Command Create()
    {
        var study = new Argument<string>("STUDY") { Description = "A study folder, or a study name under --runs-dir." };
        var runsDir = new Option<string>("--runs-dir") { Description = "Folder of run folders.", DefaultValueFactory = _ => RunStore.DefaultRoot };
        var command = new Command(
            "report",
            "Write a study's report: the table, learning curves (mean and 95% bootstrap interval over seeds), final return normalised by instant against tau (Figure 1b) and the IQM over envs, as PNG and SVG in figures/, with report.md and a self-contained report.html.")
        {
            study, runsDir,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var name = parseResult.GetValue(study)!;
            var folder = Directory.Exists(name) ? name : Path.Combine(parseResult.GetValue(runsDir)!, name);
            var (md, html) = StudyPage.Write(folder);
            output.WriteLine($"Written: {md}, {html}, figures in {Path.Combine(Path.GetDirectoryName(md)!, "figures")}");
            return PiperlApp.Success;
        });
        return command;
    }
}
