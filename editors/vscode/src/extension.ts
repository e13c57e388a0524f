// The lithe extension: the .cmp language (grammar and configuration are declared in package.json) and a
// client that starts `lithe lsp --stdio`, which does everything else: diagnostics, completion, hover,
// definitions, outline, formatting and quick fixes come from lithe's language service.
import { commands, workspace, window, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const config = workspace.getConfiguration('lithe');
  const [command, ...args] = config.get<string[]>('command', ['lithe']);
  if (!command) {
    void window.showErrorMessage('lithe: the setting lithe.command is empty; set it to ["lithe"] or ["npx", "lithe"].');
    return;
  }
  // With the stdio transport the client appends `--stdio` itself.
  const run = { command, args: [...args, 'lsp'], transport: TransportKind.stdio, options: { cwd: workspace.workspaceFolders?.[0]?.uri.fsPath } };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'lithe' },
      { scheme: 'untitled', language: 'lithe' },
      { scheme: 'file', language: 'yaml', pattern: config.get<string>('yamlRecipes', '**/recipes/**/*.{yaml,yml}') },
    ],
    initializationOptions: {
      ...(config.get<string>('target') ? { target: config.get<string>('target') } : {}),
      ...(config.get<string>('model') ? { model: config.get<string>('model') } : {}),
    },
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/*.{cmp,yaml,yml}') },
  };
  client = new LanguageClient('lithe', 'lithe', serverOptions, clientOptions);
  context.subscriptions.push(client);
  // The server reads the settings when it starts: a change of them starts it again.
  context.subscriptions.push(workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('lithe')) void window.showInformationMessage('lithe: settings changed; reload the window to restart the language server.', 'Reload').then((a) => {
      if (a) void commands.executeCommand('workbench.action.reloadWindow');
    });
  }));
  try {
    await client.start();
  } catch (e) {
    void window.showErrorMessage(`lithe: could not start \`${[command, ...args].join(' ')} lsp --stdio\`: ${(e as Error).message}. Set lithe.command.`);
  }
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
