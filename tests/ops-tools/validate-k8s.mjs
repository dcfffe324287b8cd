// Checks Kubernetes manifests against the Kubernetes API's OpenAPI schemas (kubernetes-models) and KEDA's CRD
// schemas (@kubernetes-models/keda): field types, enums, required fields, formats. Unknown fields are not
// reported (as kubeconform without -strict); the tests assert the fields that matter themselves.
//   node validate-k8s.mjs FILE.yaml...
// Exit 0 and every document as one JSON array on stdout when all are valid; exit 1 and the errors on stderr.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// apiVersion -> the module whose classes model it.
const modules = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "keda.sh/v1alpha1": "@kubernetes-models/keda/keda.sh/v1alpha1",
};

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-k8s.mjs FILE.yaml...");
  process.exit(2);
}
const errors = [];
const documents = [];
for (const file of files) {
  const parsed = parseAllDocuments(readFileSync(file, "utf8"));
  for (const [index, doc] of parsed.entries()) {
    const where = `${file} document ${index + 1}`;
    if (doc.errors.length > 0) {
      errors.push(`${where}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = doc.toJS();
    if (object === null) continue;
    const name = `${object.kind ?? "?"} ${object.metadata?.name ?? "?"}`;
    const module = modules[object.apiVersion];
    if (!module) {
      errors.push(`${where} (${name}): no schema for apiVersion ${object.apiVersion}`);
      continue;
    }
    const Model = (await import(module))[object.kind];
    if (typeof Model !== "function") {
      errors.push(`${where} (${name}): no schema for kind ${object.kind} in ${object.apiVersion}`);
      continue;
    }
    try {
      new Model(object).validate();
      documents.push(object);
    } catch (e) {
      errors.push(`${where} (${name}): ${e.message}`);
    }
  }
}
if (errors.length > 0) {
  console.error(errors.join("\n"));
  process.exit(1);
}
console.log(JSON.stringify(documents));
