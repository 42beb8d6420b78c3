@echo off
rem `vigil` from an installed Vigil desktop app on Windows: runs the CLI inside the app with
rem the app's own runtime. Add this folder (resources\cli) to the PATH to use it anywhere.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Vigil.exe" "%~dp0..\app.asar\out\main\vigil.js" %*
