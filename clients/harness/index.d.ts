export interface StartOptions {
  /** Put Prism (proxy mode, --errors) in front: a request or response that breaks docs/openapi3.json fails. */
  prism?: boolean;
  /** Extra HERALD_* variables. */
  env?: Record<string, string>;
}

export interface RunningHerald {
  /** Where tests send requests: Prism when prism is true, else Herald. */
  url: string;
  /** Herald itself. */
  heraldURL: string;
  admin: { email: string; password: string };
  /** Prism's violation reports so far (empty without Prism). */
  violations(): string[];
  stop(): Promise<void>;
}

export const repoRoot: string;
export function startHerald(options?: StartOptions): Promise<RunningHerald>;
