using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Cairn.Server.Hosting;
using Cairn.Server.Tests.Infrastructure;
using static Cairn.Server.Tests.Deploy.Manifests;

namespace Cairn.Server.Tests.Deploy;

/// <summary>
/// The Kubernetes manifests against what they describe: the image deploy/Dockerfile builds, the server's real
/// health routes, the settings it reads. No cluster is needed; a manifest that drifts from the code fails here.
/// </summary>
public sealed partial class ManifestTests
{
    private static readonly Manifests Kubernetes = Load();
    private static readonly string Dockerfile = Repository.Read("deploy/Dockerfile");

    [Fact]
    public void The_deployment_runs_the_image_the_docs_build_and_push()
    {
        var image = Text(Kubernetes.Container["image"]);
        var inDockerfile = ImageReferences(Dockerfile);
        var inGuide = ImageReferences(Repository.Read("docs/deploy.md"));

        Assert.NotEmpty(inDockerfile);
        Assert.NotEmpty(inGuide);
        Assert.All(inDockerfile.Concat(inGuide), reference => Assert.Equal(image, reference));
    }

    [Fact]
    public void The_container_port_is_the_one_the_image_exposes_and_listens_on()
    {
        var exposed = FromDockerfile(Expose());
        var listening = FromDockerfile(ListeningPort());

        Assert.Equal(exposed, listening);
        Assert.Equal(exposed, Text(Kubernetes.HttpPort["containerPort"]));
        Assert.Equal(exposed, Text(Kubernetes.Pod["metadata"]!["annotations"]!["prometheus.io/port"]));
    }

    [Fact]
    public async Task The_probes_ask_routes_that_answer_as_their_roles_need_on_the_real_server()
    {
        var startup = Probe("startupProbe");
        var readiness = Probe("readinessProbe");
        var liveness = Probe("livenessProbe");
        var metrics = Text(Kubernetes.Pod["metadata"]!["annotations"]!["prometheus.io/path"])!;
        await using var app = new CairnApp();
        var http = app.CreateClient();
        foreach (var path in (string[])[startup, readiness, liveness, metrics])
        {
            var status = (await http.GetAsync(path)).StatusCode;
            Assert.True(status == HttpStatusCode.OK, $"{path} answered {(int)status}, not 200.");
        }

        // With the artifact folder gone, the replica leaves the Service but is not restarted.
        Directory.Delete(Path.Combine(app.DataPath, "artifacts"), recursive: true);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(readiness)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(liveness)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(startup)).StatusCode);
    }

    [Fact]
    public void Every_setting_in_the_config_map_and_secret_is_a_documented_variable_the_server_reads()
    {
        var configMap = Kubernetes.Single("ConfigMap");
        var secret = Kubernetes.Single("Secret");
        var names = Keys(configMap["data"]).Concat(Keys(secret["data"])).Concat(Keys(secret["stringData"])).ToList();
        var documented = Repository.DocumentedVariables();

        Assert.Contains("CAIRN_DATABASE", Keys(secret["stringData"]).Concat(Keys(secret["data"])));
        Assert.All(names, name => Assert.True(documented.Contains(name), $"{name} is not in the README's configuration table."));
        Assert.All(names, name => Assert.True(ServerReads(name), $"{name} is not a variable the server reads."));
        var sources = Kubernetes.Container["envFrom"]!.AsArray();
        Assert.Contains(sources, source => Text(source!["configMapRef"]?["name"]) == Text(configMap["metadata"]!["name"]));
        Assert.Contains(sources, source => Text(source!["secretRef"]?["name"]) == Text(secret["metadata"]!["name"]));
    }

    [Fact]
    public void The_service_and_the_ingress_reach_the_containers_named_port()
    {
        var service = Kubernetes.Single("Service");
        var servicePort = Assert.Single(service["spec"]!["ports"]!.AsArray())!;
        var backend = Kubernetes.Single("Ingress")["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!;

        Assert.Equal(Text(Kubernetes.HttpPort["name"]), Text(servicePort["targetPort"]));
        Assert.Equal(Text(service["metadata"]!["name"]), Text(backend["name"]));
        Assert.Equal(Text(servicePort["name"]), Text(backend["port"]!["name"]));
    }

    [Fact]
    public void The_selectors_pick_the_deployments_pods()
    {
        var labels = Kubernetes.Pod["metadata"]!["labels"];

        Assert.True(Selects(Kubernetes.Deployment["spec"]!["selector"]!["matchLabels"], labels), "The Deployment's selector misses its pods.");
        Assert.True(Selects(Kubernetes.Single("Service")["spec"]!["selector"], labels), "The Service's selector misses the pods.");
        Assert.True(Selects(Kubernetes.Single("PodDisruptionBudget")["spec"]!["selector"]!["matchLabels"], labels), "The budget's selector misses the pods.");
    }

    [Fact]
    public void The_read_only_container_can_write_its_data_folder_and_tmp()
    {
        var mounts = Kubernetes.Container["volumeMounts"]!.AsArray().Select(mount => Text(mount!["mountPath"])).ToList();

        Assert.Equal("true", Text(Kubernetes.Container["securityContext"]!["readOnlyRootFilesystem"]));
        Assert.Equal("true", Text(Kubernetes.Pod["spec"]!["securityContext"]!["runAsNonRoot"]));
        Assert.Contains("/tmp", mounts);
        Assert.Contains(FromDockerfile(DataFolder()), mounts);
    }

    [Fact]
    public void The_kustomization_applies_every_manifest_into_one_namespace()
    {
        var kustomization = Assert.Single(Parse(Repository.Read($"{Folder}/kustomization.yaml")));
        var resources = kustomization["resources"]!.AsArray().Select(Text).Order(StringComparer.Ordinal);
        var namespaceName = Text(Kubernetes.Single("Namespace")["metadata"]!["name"]);

        Assert.Equal(Files().Select(Path.GetFileName).Order(StringComparer.Ordinal), resources);
        Assert.All(Kubernetes.Objects.Where(o => Text(o["kind"]) != "Namespace"), o => Assert.Equal(namespaceName, Text(o["metadata"]!["namespace"])));
    }

    private static string Probe(string name)
    {
        var probe = Kubernetes.Container[name]?["httpGet"];
        Assert.True(probe is not null, $"The container has no {name} with httpGet.");
        Assert.Equal(Text(Kubernetes.HttpPort["name"]), Text(probe["port"]));
        return Text(probe["path"])!;
    }

    /// <summary>Image references in <c>docker build -t X</c>, <c>--tag X</c> and <c>docker push X</c>.</summary>
    private static List<string> ImageReferences(string text) => ImageReference().Matches(text).Select(match => match.Groups[1].Value).ToList();

    private static string FromDockerfile(Regex pattern)
    {
        var match = pattern.Match(Dockerfile);
        Assert.True(match.Success, $"deploy/Dockerfile has no match for {pattern}.");
        return match.Groups[1].Value;
    }

    /// <summary>A <c>CAIRN_*</c> variable of the server's own, or <c>Cairn__Section__Key</c> naming a property of an options class.</summary>
    private static bool ServerReads(string variable)
    {
        if (CommandLineSettings.Variables.Contains(variable))
        {
            return true;
        }

        var key = variable.Replace("__", ":", StringComparison.Ordinal);
        var split = key.LastIndexOf(':');
        return split > 0 && typeof(CairnOptions).Assembly.GetTypes().Any(type =>
            type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string == key[..split]
            && type.GetProperty(key[(split + 1)..]) is not null);
    }

    [GeneratedRegex(@"(?:\s-t|--tag|docker push)\s+(\S+)")]
    private static partial Regex ImageReference();

    [GeneratedRegex(@"^EXPOSE\s+(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Expose();

    [GeneratedRegex(@"ASPNETCORE_URLS=https?://[^\s/]+:(\d+)")]
    private static partial Regex ListeningPort();

    [GeneratedRegex(@"\bCAIRN_DATA=(\S+)")]
    private static partial Regex DataFolder();
}
