# CaptureMedia root module: dot-sources one function per file from Private/ and Public/ and exports
# the public ones only (the manifest lists the same names explicitly).
Set-StrictMode -Version 2.0

$private = @(Get-ChildItem -Path (Join-Path $PSScriptRoot 'Private') -Filter '*.ps1' -File -ErrorAction SilentlyContinue)
$public = @(Get-ChildItem -Path (Join-Path $PSScriptRoot 'Public') -Filter '*.ps1' -File -ErrorAction SilentlyContinue)

foreach ($file in @($private + $public)) {
    . $file.FullName
}

Export-ModuleMember -Function @($public | ForEach-Object { $_.BaseName })
