// Types for native-binary.mjs (plain JS so `node` runs it without a build step).
export declare const BINARY_NAME: 'better_sqlite3.node';
export declare const PREBUILD_PLATFORMS: readonly string[];
export declare const PREBUILD_ARCHS: readonly string[];
export declare function muslFromMaps(maps: string): boolean | undefined;
export declare function prebuildName(target: {
  platform: string;
  arch: string;
  musl?: boolean;
}): string | null;
export declare function candidateBinaries(target: {
  platform: string;
  arch: string;
  hostPlatform: string;
  hostArch: string;
}): { file: string; kind: 'compiled' | 'prebuild' }[];
export declare function isNapiBinary(binary: Uint8Array): boolean;
export declare function moduleAbiOf(binary: Uint8Array): number | undefined;
export declare function gypDefinesNapi(gyp: string): boolean;
export declare function sha256(data: Uint8Array): string;
export declare function targetOfPackContext(context: {
  electronPlatformName: string;
  arch: number;
}): { platform: string; arch: string } | null;
export declare function parseNativeArgs(argv: string[]): {
  platform?: string;
  arch?: string;
  forceRebuild: boolean;
  help: boolean;
};
