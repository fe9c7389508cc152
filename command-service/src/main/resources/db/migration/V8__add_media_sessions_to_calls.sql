-- Media streaming and transcription as the leg's events report them: started, stopped or failed.
alter table calls add column media_streaming text;
alter table calls add column transcription text;
alter table calls add column transcription_locale text;
