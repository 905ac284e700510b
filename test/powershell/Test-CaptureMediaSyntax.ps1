<#
.SYNOPSIS
Checks that the CaptureMedia module's scripts are Windows PowerShell 5.1 syntax.

.DESCRIPTION
The module must load on Windows PowerShell 5.1 (CompatiblePSEditions Desktop), but its tests run
on PowerShell 7. So every .ps1/.psm1/.psd1 under module/ is parsed with PowerShell's own parser
([System.Management.Automation.Language.Parser]::ParseFile) and the AST is searched for what 5.1
cannot parse or run:

  - parse errors of any kind;
  - PowerShell 7 syntax, by AST node: TernaryExpressionAst (a ? b : c), PipelineChainAst (&&, ||),
    BinaryExpressionAst with the ?? operator, AssignmentStatementAst with ??=, member and index
    access with ?. and ?[], background pipelines (&), the 'clean' block;
  - PowerShell 6+ parameters and variables: ForEach-Object -Parallel, ConvertFrom-Json
    -AsHashtable/-Depth, ConvertTo-Json -AsArray/-EscapeHandling, Join-Path -AdditionalChildPath,
    Get-Content/Set-Content -AsByteStream, $IsWindows/$IsLinux/$IsMacOS/$IsCoreCLR;
  - backtick line continuations (the module uses splats instead);
  - non-ASCII bytes in a file without a UTF-8 byte-order mark (5.1 would read it as ANSI).

Writes one line per finding and exits 1 when there is any, 0 otherwise.

.PARAMETER Path
The folder to check (default: module/ of this repository).
#>
[CmdletBinding()]
param(
    [string] $Path = (Join-Path -Path (Split-Path -Path (Split-Path -Path $PSScriptRoot -Parent) -Parent) -ChildPath 'module')
)

$ps6Parameters = @{
    'ForEach-Object' = @('Parallel', 'ThrottleLimit', 'AsJob', 'TimeoutSeconds')
    'ConvertFrom-Json' = @('AsHashtable', 'Depth', 'NoEnumerate', 'DateKind')
    'ConvertTo-Json' = @('AsArray', 'EscapeHandling', 'EnumsAsStrings')
    'Join-Path' = @('AdditionalChildPath', 'Extension')
    'Get-Content' = @('AsByteStream')
    'Set-Content' = @('AsByteStream')
    'Add-Content' = @('AsByteStream')
}
$ps6Variables = @('IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR')
$foreachNames = @('ForEach-Object', '%', 'foreach')

$findings = New-Object -TypeName System.Collections.Generic.List[string]
$files = @(Get-ChildItem -Path $Path -Recurse -File | Where-Object { $_.Extension -in @('.ps1', '.psm1', '.psd1') })
if ($files.Count -eq 0) {
    Write-Output ('no PowerShell files found under {0}' -f $Path)
    exit 1
}

foreach ($file in $files) {
    $relative = $file.FullName
    $bytes = [System.IO.File]::ReadAllBytes($file.FullName)
    $hasBom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
    if (-not $hasBom) {
        for ($i = 0; $i -lt $bytes.Length; $i++) {
            if ($bytes[$i] -gt 0x7F) {
                $findings.Add(('{0}: non-ASCII byte at offset {1} in a file without a UTF-8 BOM (Windows PowerShell 5.1 reads it as ANSI)' -f $relative, $i))
                break
            }
        }
    }

    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors)
    foreach ($parseError in $errors) {
        $findings.Add(('{0}:{1}: parse error: {2}' -f $relative, $parseError.Extent.StartLineNumber, $parseError.Message))
    }
    foreach ($token in $tokens) {
        if ($token.Kind -eq [System.Management.Automation.Language.TokenKind]::LineContinuation) {
            $findings.Add(('{0}:{1}: backtick line continuation (use splatting)' -f $relative, $token.Extent.StartLineNumber))
        }
    }

    $nodes = $ast.FindAll({ $true }, $true)
    foreach ($node in $nodes) {
        $typeName = $node.GetType().Name
        $line = $node.Extent.StartLineNumber
        $problem = $null
        switch ($typeName) {
            'TernaryExpressionAst' { $problem = 'ternary operator (a ? b : c) is PowerShell 7 only' }
            'PipelineChainAst' { $problem = 'pipeline chain operator (&& or ||) is PowerShell 7 only' }
            'BinaryExpressionAst' {
                if ($node.Operator.ToString() -eq 'QuestionQuestion') { $problem = 'null-coalescing operator ?? is PowerShell 7 only' }
            }
            'AssignmentStatementAst' {
                if ($node.Operator.ToString() -eq 'QuestionQuestionEquals') { $problem = 'null-coalescing assignment ??= is PowerShell 7 only' }
            }
            { $_ -in @('MemberExpressionAst', 'InvokeMemberExpressionAst', 'IndexExpressionAst') } {
                $nullConditional = $node.PSObject.Properties['NullConditional']
                if ($null -ne $nullConditional -and $nullConditional.Value) { $problem = 'null-conditional access ?. or ?[] is PowerShell 7 only' }
            }
            'PipelineAst' {
                $background = $node.PSObject.Properties['Background']
                if ($null -ne $background -and $background.Value) { $problem = 'background operator & is PowerShell 6+ only' }
            }
            'NamedBlockAst' {
                if ($node.BlockKind.ToString() -eq 'Clean') { $problem = 'the clean block is PowerShell 7.3+ only' }
            }
            'VariableExpressionAst' {
                if ($ps6Variables -contains $node.VariablePath.UserPath) { $problem = ('${0} does not exist in Windows PowerShell 5.1' -f $node.VariablePath.UserPath) }
            }
            'CommandAst' {
                $name = $node.GetCommandName()
                if ($null -ne $name) {
                    $key = $name
                    if ($foreachNames -contains $name) { $key = 'ForEach-Object' }
                    $matchedKey = $ps6Parameters.Keys | Where-Object { $_ -eq $key } | Select-Object -First 1
                    if ($null -ne $matchedKey) {
                        foreach ($element in $node.CommandElements) {
                            if ($element -is [System.Management.Automation.Language.CommandParameterAst]) {
                                foreach ($parameter in $ps6Parameters[$matchedKey]) {
                                    # PowerShell accepts unambiguous prefixes: -Par means -Parallel.
                                    if ($element.ParameterName.Length -ge 3 -and $parameter.StartsWith($element.ParameterName, [System.StringComparison]::OrdinalIgnoreCase)) {
                                        $problem = ('{0} -{1} is PowerShell 6+ only' -f $matchedKey, $parameter)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if ($null -ne $problem) {
            $findings.Add(('{0}:{1}: {2}' -f $relative, $line, $problem))
        }
    }
}

foreach ($finding in $findings) {
    Write-Output $finding
}
if ($findings.Count -gt 0) {
    exit 1
}
Write-Output ('{0} files parse as Windows PowerShell 5.1 syntax' -f $files.Count)
exit 0
