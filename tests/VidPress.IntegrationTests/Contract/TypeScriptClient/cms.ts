// A CMS's typed client, written against the types openapi-typescript generates from the running service's document
// (./api.ts, made at test time). TypeScriptClientTests compiles it with tsc --strict: no casts, no `any`, so each line
// below holds the document to what the wire carries (string enums with the wire's values, required properties).
import type { components, paths } from "./api";

type Schemas = components["schemas"];
type Video = paths["/videos/{id}"]["get"]["responses"][200]["content"]["application/json"];
type CreateVideo = NonNullable<paths["/videos"]["post"]["requestBody"]>["content"]["application/json"];
type Timeline = paths["/videos/{id}/timeline"]["get"]["responses"][200]["content"]["application/json"];
type Problem = Schemas["ProblemDetails"];
type Webhook = Schemas["WebhookPayload"];

export class VidPressCms {
  constructor(private readonly baseUrl: string, private readonly apiKey: string) {}

  private async send<T>(path: string, init: RequestInit, read: (body: unknown) => T): Promise<T> {
    const response = await fetch(this.baseUrl + path, { ...init, headers: { "X-Api-Key": this.apiKey, "Content-Type": "application/json" } });
    if (!response.ok) throw new Error(`${response.status} ${describe(await response.json())}`);
    return read(await response.json());
  }

  createVideo(request: CreateVideo, idempotencyKey: string): Promise<Video> {
    return this.send("/videos", { method: "POST", body: JSON.stringify(request), headers: { "Idempotency-Key": idempotencyKey } }, asVideo);
  }

  video(id: string): Promise<Video> {
    return this.send(`/videos/${encodeURIComponent(id)}`, { method: "GET" }, asVideo);
  }
}

// What a narrowing reader of the body checks; the type guard, not a cast, gives it its type.
function asVideo(body: unknown): Video {
  if (typeof body === "object" && body !== null && "id" in body && "status" in body && "links" in body && isVideo(body)) return body;
  throw new Error("not a video");
}
function isVideo(body: object): body is Video {
  return "stage" in body && "outputs" in body;
}

function describe(problem: Problem): string {
  return [problem.title, problem.detail].filter((part): part is string => typeof part === "string").join(": ");
}

// The status is a string union with the wire's values: a misspelt or integer status would not compile.
export function finished(video: Video): boolean {
  const done: Schemas["VideoStatus"][] = ["succeeded", "failed", "cancelled"];
  return done.includes(video.status);
}

// Required properties are plain types under --strict (no `| undefined`); optional ones have to be checked.
export function summary(video: Video): string {
  const id: string = video.id;
  const self: string = video.links.self;
  const formats: string[] = video.outputs.map((output) => `${output.format} ${output.width}x${output.height}`);
  const title: string = video.title ?? "(untitled)";
  const stage: Schemas["VideoStage"] = video.stage;
  return `${id} ${title} ${stage} ${self} ${formats.join(", ")} ${video.links.subtitlesDownload?.vtt ?? ""}`;
}

// The timeline's kinds are camelCase on the wire, as in the document.
export function cuts(timeline: Timeline): number {
  const shot: Schemas["ClipKind"] = "videoShot";
  const cut: Schemas["Transition"] = "cut";
  return timeline.clips.filter((clip) => clip.kind === shot && clip.transitionIn === cut).length + timeline.revision;
}

export function editedCue(timeline: Timeline, text: string): Timeline {
  return { ...timeline, subtitles: timeline.subtitles.map((cue, i) => (i === 0 ? { ...cue, text } : cue)) };
}

// A webhook's body: its event type and the video's id, reference and links.
export function onWebhook(event: Webhook): string {
  const status: string = event.data.status;
  return `${event.type} ${event.timestamp} ${event.data.videoId} ${status} ${event.data.reference ?? ""} ${event.data.links.self}`;
}

export const request: CreateVideo = { text: "The harbour reopened on Monday.", reference: "story-4711", metadata: { desk: "city" }, burnSubtitles: false };
