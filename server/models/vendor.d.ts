// Types for the two untyped packages of the model pipeline (only what we call).

declare module 'gltf-validator' {
  export interface ValidatorMessage {
    code: string;
    message: string;
    /** 0 error, 1 warning, 2 information, 3 hint. */
    severity: 0 | 1 | 2 | 3;
    pointer?: string;
    offset?: number;
  }
  export interface ValidatorReport {
    issues: { numErrors: number; numWarnings: number; numInfos: number; numHints: number; messages: ValidatorMessage[]; truncated: boolean };
    info?: {
      version?: string;
      extensionsUsed?: string[];
      totalVertexCount?: number;
      totalTriangleCount?: number;
      drawCallCount?: number;
      resources?: { pointer: string; mimeType?: string; storage: string; byteLength?: number; image?: { width: number; height: number } }[];
    };
  }
  export interface ValidationOptions {
    uri?: string;
    format?: 'glb' | 'gltf';
    maxIssues?: number;
    ignoredIssues?: string[];
    severityOverrides?: Record<string, number>;
    externalResourceFunction?: (uri: string) => Promise<Uint8Array>;
    writeTimestamp?: boolean;
  }
  const validator: {
    validateBytes(data: Uint8Array, options?: ValidationOptions): Promise<ValidatorReport>;
    version(): string;
  };
  export default validator;
}

declare module 'draco3dgltf' {
  const draco3d: {
    createDecoderModule(options?: object): Promise<unknown>;
    createEncoderModule(options?: object): Promise<unknown>;
  };
  export default draco3d;
}
