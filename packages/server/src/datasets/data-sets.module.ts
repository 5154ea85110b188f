import { Module } from '@nestjs/common';
import { DataSetRefreshRepository } from './data-set-refresh.repository';
import { DataSetStore } from './data-set-store';
import { DataSetsController } from './data-sets.controller';
import { DataSetsRepository } from './data-sets.repository';
import { DataSetsService } from './data-sets.service';

/** Reference data sets: the API, and the in-memory store rules read them from. */
@Module({
  controllers: [DataSetsController],
  providers: [DataSetsRepository, DataSetStore, DataSetsService, DataSetRefreshRepository],
  exports: [DataSetStore, DataSetsService, DataSetsRepository, DataSetRefreshRepository],
})
export class DataSetsModule {}
