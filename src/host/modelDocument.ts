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
    /** The symbolic dims it was analysed with (edgecut.dims, the ones this model has). */
    readonly dims: Readonly<Record<string, number>>,
    readonly graphOnly: boolean,
    readonly warnings: readonly string[],
  ) {}

  static async open(uri: vscode.Uri): Promise<ModelDocument> {
    const dims = vscode.workspace.getConfiguration('edgecut').get<Record<string, number>>('dims') ?? {};
    const loaded = await loadModelFile(uri.fsPath);
    const known = dimsKnownTo(loaded.model.graph, dims);
    const analysis = analyzeModel(loaded.model, { dims: known });
    return new ModelDocument(uri, analysis, known, loaded.graphOnly, [...loaded.warnings, ...analysis.warnings]);
  }

  get fileName(): string {
    return path.basename(this.uri.fsPath);
  }

  dispose(): void {}
}
