using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Tests.Flows;

public sealed class FlowLoaderTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "ivr-flows-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static string Flow(string nodes, string start = "menu1") =>
        $$"""{ "id": "main", "start": "{{start}}", "nodes": { {{nodes}} } }""";

    private const string Bye = """ "bye": { "type": "hangup" } """;

    private string Load(string json, string file = "main.json")
    {
        File.WriteAllText(Path.Combine(_directory, file), json);
        var error = Assert.Throws<IvrFlowException>(() => IvrFlowLoader.LoadDirectory(_directory, IvrTestData.Prompts));
        return error!.Message;
    }

    private string PathOf(string name = "main.json") => Path.Combine(_directory, name);

    [Test]
    public void UnknownMenuTargetNamesFileNodeAndKey()
    {
        var message = Load(Flow("""
            "menu1": { "type": "menu", "prompts": ["main-menu"], "keys": { "1": "bye", "5": "nope" } },
            """ + Bye));
        Assert.That(message, Is.EqualTo($"{PathOf()}: node 'menu1': key '5' targets unknown node 'nope'"));
    }

    [Test]
    public void UnknownNextTargetIsNamed()
    {
        var message = Load(Flow(""" "menu1": { "type": "play", "prompts": ["goodbye"], "next": "gone" } """));
        Assert.That(message, Is.EqualTo($"{PathOf()}: node 'menu1': targets unknown node 'gone'"));
    }

    [Test]
    public void MissingPromptNamesTheLanguage()
    {
        var message = Load(Flow(""" "menu1": { "type": "play", "prompts": ["no-such-prompt"], "next": "bye" }, """ + Bye));
        Assert.That(message, Does.StartWith($"{PathOf()}: node 'menu1': prompt 'no-such-prompt' is missing for language 'zh'"));
    }

    [TestCase("A")]
    [TestCase("12")]
    [TestCase("x")]
    public void BadMenuKeyIsRefused(string key)
    {
        var message = Load(Flow($$""" "menu1": { "type": "menu", "prompts": ["main-menu"], "keys": { "{{key}}": "bye" } }, """ + Bye));
        Assert.That(message, Is.EqualTo($"{PathOf()}: node 'menu1': key '{key}' is not a DTMF key (0-9, * or #)"));
    }

    [Test]
    public void UnknownNodeTypeIsRefused()
    {
        var message = Load(Flow(""" "menu1": { "type": "dance", "next": "bye" }, """ + Bye));
        Assert.That(message, Does.StartWith($"{PathOf()}: node 'menu1': unknown node type 'dance'"));
    }

    [Test]
    public void ABackOfficeNodeWithAnUnknownOperationIsRefused() =>
        Assert.That(Load(Flow(""" "menu1": { "type": "backOffice", "operation": "steal", "results": {}, "default": "bye" }, """ + Bye)),
            Does.Contain("unknown operation 'steal'"));

    [Test]
    public void ABackOfficeResultTheOperationDoesNotHaveIsRefused() =>
        Assert.That(Load(Flow(""" "menu1": { "type": "backOffice", "operation": "funds", "results": { "verified": "bye" } }, """ + Bye)),
            Does.Contain("'funds' has no result 'verified'"));

    [Test]
    public void ABackOfficeInputNoCollectFillsIsRefused() =>
        Assert.That(Load(Flow(""" "menu1": { "type": "backOffice", "operation": "funds", "results": { "ok": "bye" } }, """ + Bye)),
            Does.Contain("needs variable 'account', which no collect fills"));

    [Test]
    public void ASayOfTheSecretAccountIsRefusedEvenAfterABackOfficeNode() =>
        Assert.That(Load(Flow("""
            "menu1": { "type": "collect", "variable": "account", "masked": true, "next": "funds" },
            "funds": { "type": "backOffice", "operation": "funds", "results": { "ok": "say" } },
            "say": { "type": "say", "as": "digits", "variable": "account", "next": "bye" },
            """ + Bye)),
            Does.Contain("masked collect fills"));

    [Test]
    public void AStrictCollectNeedsATerminatorAndADecimalPointCannotBeMasked()
    {
        Assert.That(Load(Flow(""" "menu1": { "type": "collect", "variable": "x", "strict": true, "terminator": "", "next": "bye" }, """ + Bye)),
            Does.Contain("'strict' waits for the terminator"));
        Assert.That(Load(Flow(""" "menu1": { "type": "collect", "variable": "x", "decimalPoint": true, "masked": true, "next": "bye" }, """ + Bye)),
            Does.Contain("no decimal point"));
    }

    [Test]
    public void DuplicateNodeIdIsRefused()
    {
        var message = Load(Flow(Bye + ", " + Bye, start: "bye"));
        Assert.That(message, Is.EqualTo($"{PathOf()}: node 'bye' is defined twice"));
    }

    [Test]
    public void DuplicateMenuKeyIsRefused()
    {
        var message = Load(Flow(""" "menu1": { "type": "menu", "keys": { "1": "bye", "1": "menu1" } }, """ + Bye));
        Assert.That(message, Is.EqualTo($"{PathOf()}: node 'menu1': key '1' is defined twice"));
    }

    [Test]
    public void DuplicateFlowIdAcrossFilesIsRefused()
    {
        var json = Flow(Bye, start: "bye");
        var error = Assert.Throws<IvrFlowException>(() =>
            IvrFlowLoader.Load([("a/main.json", json), ("b/main.json", json)], IvrTestData.Prompts));
        Assert.That(error!.Message, Is.EqualTo("b/main.json: flow id 'main' is already used by a/main.json"));
    }

    [Test]
    public void MissingStartIsRefused()
    {
        var message = Load("""{ "id": "main", "nodes": { "bye": { "type": "hangup" } } }""");
        Assert.That(message, Is.EqualTo($"{PathOf()}: 'start' is required"));
    }

    [Test]
    public void StartAtUnknownNodeIsRefused()
    {
        var message = Load(Flow(Bye, start: "nowhere"));
        Assert.That(message, Is.EqualTo($"{PathOf()}: 'start' names unknown node 'nowhere'"));
    }

    [Test]
    public void FlowIdMustMatchTheFileName()
    {
        var message = Load(Flow(Bye, start: "bye"), file: "95599.json");
        Assert.That(message, Is.EqualTo($"{PathOf("95599.json")}: flow id 'main' does not match the file name (expected '95599')"));
    }

    [Test]
    public void MisspelledPropertyIsRefusedRatherThanDefaulted()
    {
        var message = Load(Flow(""" "menu1": { "type": "play", "prompts": ["goodbye"], "next": "bye", "bargin": false }, """ + Bye));
        Assert.That(message, Is.EqualTo($"{PathOf()}: node 'menu1': unknown property 'bargin'"));
    }

    [Test]
    public void PromptNameThatCouldLeaveThePromptFolderIsRefused()
    {
        var message = Load(Flow(""" "menu1": { "type": "play", "prompts": ["../../secret"], "next": "bye" }, """ + Bye));
        Assert.That(message, Does.StartWith($"{PathOf()}: node 'menu1': prompt name '../../secret' in 'prompts' is not valid"));
    }

    [Test]
    public void GotoUnknownFlowIsRefused()
    {
        var message = Load(Flow(""" "menu1": { "type": "goto", "flow": "elsewhere" } """));
        Assert.That(message, Is.EqualTo($"{PathOf()}: node 'menu1': goto targets unknown flow 'elsewhere'"));
    }

    [Test]
    public void GotoUnknownNodeOfAnotherFlowIsRefused()
    {
        File.WriteAllText(PathOf("other.json"), """{ "id": "other", "start": "bye", "nodes": { "bye": { "type": "hangup" } } }""");
        var message = Load(Flow(""" "menu1": { "type": "goto", "flow": "other", "node": "missing" } """));
        Assert.That(message, Is.EqualTo($"{PathOf()}: node 'menu1': goto targets unknown node 'missing' of flow 'other'"));
    }

    [Test]
    public void SayingASecretIsRefused()
    {
        var message = Load(Flow("""
            "menu1": { "type": "collect", "prompts": ["enter-pin"], "variable": "pin", "masked": true, "next": "say" },
            "say": { "type": "say", "as": "digits", "variable": "pin", "next": "bye" },
            """ + Bye));
        Assert.That(message, Does.StartWith($"{PathOf()}: node 'say': reads variable 'pin', which a masked collect fills"));
    }

    [Test]
    public void UnknownVariableIsRefused()
    {
        var message = Load(Flow(""" "menu1": { "type": "say", "as": "number", "variable": "balanse", "next": "bye" }, """ + Bye));
        Assert.That(message, Does.StartWith($"{PathOf()}: node 'menu1': reads unknown variable 'balanse'"));
    }

    [Test]
    public void LoopOfNodesThatNeverWaitIsRefused()
    {
        var message = Load(Flow("""
            "menu1": { "type": "setLanguage", "language": "en", "next": "b" },
            "b": { "type": "branch", "variable": "tier", "cases": { "Gold": "bye" }, "default": "menu1" },
            """ + Bye));
        Assert.That(message, Does.StartWith($"{PathOf()}: node 'menu1': loops without waiting for the caller (main.menu1 -> main.b -> main.menu1)"));
    }

    [Test]
    public void InvalidJsonNamesTheFileAndLine()
    {
        var message = Load("{\n  \"id\": \"main\",\n  \"start\": \n}");
        Assert.That(message, Does.StartWith($"{PathOf()}: not valid JSON (line 4"));
    }

    [Test]
    public void CollectWithMinAboveMaxIsRefused()
    {
        var message = Load(Flow(""" "menu1": { "type": "collect", "variable": "account", "minDigits": 8, "maxDigits": 6, "next": "bye" }, """ + Bye));
        Assert.That(message, Is.EqualTo($"{PathOf()}: node 'menu1': 'minDigits' (8) is greater than 'maxDigits' (6)"));
    }

    [TestCase(""" "timeout": 0 """, "'timeout' must be a number of seconds from 1 to 120, found 0")]
    [TestCase(""" "retries": 50 """, "'retries' must be a whole number from 0 to 9, found 50")]
    [TestCase(""" "bargeIn": "yes" """, "'bargeIn' must be true or false, found \"yes\"")]
    public void OutOfRangeSettingsAreRefused(string setting, string problem)
    {
        var message = Load(Flow($$""" "menu1": { "type": "menu", "keys": { "1": "bye" }, {{setting}} }, """ + Bye));
        Assert.That(message, Is.EqualTo($"{PathOf()}: node 'menu1': {problem}"));
    }

    [Test]
    public void EmptyFolderIsRefused()
    {
        var error = Assert.Throws<IvrFlowException>(() => IvrFlowLoader.LoadDirectory(_directory, IvrTestData.Prompts));
        Assert.That(error!.Message, Does.Contain("no flow files"));
    }

    [Test]
    public void ValidFlowLoads()
    {
        File.WriteAllText(PathOf(), Flow("""
            "menu1": { "type": "menu", "prompts": ["main-menu"], "keys": { "1": "bye", "0": "agent" } },
            "agent": { "type": "queue", "queue": "general" },
            """ + Bye));
        var flows = IvrFlowLoader.LoadDirectory(_directory, IvrTestData.Prompts);
        Assert.That(flows.FlowIds, Is.EquivalentTo(new[] { "main" }));
        Assert.That(flows.TryGetFlow("main", out var flow), Is.True);
        Assert.That(flow!.NodeIds, Is.EquivalentTo(new[] { "menu1", "agent", "bye" }));
    }
}
