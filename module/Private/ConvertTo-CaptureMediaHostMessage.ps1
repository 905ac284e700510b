function ConvertTo-CaptureMediaHostMessage {
    <#
    .SYNOPSIS
    Rewrites the core's CLI option names in a message as this module's parameter names.

    .DESCRIPTION
    The core serves the CLI and this module with the same messages. A PowerShell user told to
    'use -Force (--force)' or 'pass --log-path' should read '-Force' and '-LogPath': a pair
    '-Name (--name)' keeps its first half, and any other --kebab-name becomes -PascalName (with
    the few names whose PowerShell spelling differs listed here).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [AllowNull()]
        [AllowEmptyString()]
        [string] $Message
    )

    if ([string]::IsNullOrEmpty($Message)) {
        return $Message
    }
    $special = @{
        'include-autorun' = '-IncludeAutoRun'
        'yes'             = '-Confirm:$false'
        'what-if'         = '-WhatIf'
        'json'            = ''
        'no-format'       = '-NoFormat'
    }
    $text = [regex]::Replace($Message, '(-[A-Z][A-Za-z]+) \(--[a-z][a-z-]*\)', '$1')
    [regex]::Replace($text, '(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)', {
            param($match)
            $name = $match.Groups[1].Value
            if ($special.ContainsKey($name)) {
                return $special[$name]
            }
            $parts = foreach ($part in $name.Split('-')) { $part.Substring(0, 1).ToUpperInvariant() + $part.Substring(1) }
            '-' + ($parts -join '')
        })
}
