# CaptureMedia root module: dot-sources one function per file from Private/ and Public/ and exports
# the public ones only (the manifest lists the same names explicitly).
#
# Paths are built with [IO.Path] and listed with [IO.Directory], never with Join-Path or
# Get-ChildItem: those follow the caller's current location, so an admin importing the module from
# Env: or from a ConfigMgr site drive (PS1:\) would have them look in the wrong provider.
Set-StrictMode -Version 2.0

$script:CaptureMediaModuleRoot = $PSScriptRoot

$private = @([IO.Directory]::GetFiles([IO.Path]::Combine($PSScriptRoot, 'Private'), '*.ps1') | Sort-Object)
$public = @([IO.Directory]::GetFiles([IO.Path]::Combine($PSScriptRoot, 'Public'), '*.ps1') | Sort-Object)

foreach ($file in @($private + $public)) {
    . $file
}

Export-ModuleMember -Function @($public | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_) })

# Tab completion: presets for -MediaSize, package ids or .wim files for -BootImage
# (Get-CaptureMediaCompletion). Registered here so the parameter blocks stay plain.
Register-ArgumentCompleter -CommandName 'New-CaptureMedia' -ParameterName 'MediaSize' -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    Get-CaptureMediaCompletion -ParameterName 'MediaSize' -WordToComplete $wordToComplete -FakeBoundParameters $fakeBoundParameters
}
Register-ArgumentCompleter -CommandName 'New-CaptureMedia' -ParameterName 'BootImage' -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    Get-CaptureMediaCompletion -ParameterName 'BootImage' -WordToComplete $wordToComplete -FakeBoundParameters $fakeBoundParameters
}
