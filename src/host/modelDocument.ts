import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyzeModel, type ModelAnalysis } from '../core/analysis';
import { dimsKnownTo } from '../core/shapes/bindInputs';
import { loadModelFile } from '../node/modelFile';

/** An opened .onnx file: decoded and analysed once, shared by every panel showing it. */
export class ModelDocument implements vscode.CustomDocument {
  private constructor(
    readonly uri: vscode.Uri,
    readonly analysis: ModelAnalysis,
    readonly graphOnly: boolean,
    readonly warnings: readonly string[],
  ) {}

  static async open(uri: vscode.Uri): Promise<ModelDocument> {
    const dims = vscode.workspace.getConfiguration('edgecut').get<Record<string, number>>('dims') ?? {};
    const loaded = await loadModelFile(uri.fsPath);
    const analysis = analyzeModel(loaded.model, { dims: dimsKnownTo(loaded.model.graph, dims) });
    return new ModelDocument(uri, analysis, loaded.graphOnly, [...loaded.warnings, ...analysis.warnings]);
  }

  get fileName(): string {
    return path.basename(this.uri.fsPath);
  }

  dispose(): void {}
}
